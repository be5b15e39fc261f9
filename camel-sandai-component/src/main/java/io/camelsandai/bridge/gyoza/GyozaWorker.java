package io.camelsandai.bridge.gyoza;

import io.camelsandai.bridge.ClientOperatorInvoker;
import io.camelsandai.bridge.OperatorInvoker;
import io.camelsandai.bridge.OrchestratorWorker;
import io.camelsandai.client.OperatorSettings;

/**
 * A gyoza worker whose ops run on Sandai operators: heartbeats with its resources and running ops, claims while
 * below its concurrency limit, and reports STARTED, PROGRESS, then COMPLETED (outputs) or FAILED (error_message).
 */
public final class GyozaWorker extends OrchestratorWorker<GyozaOp> {
    private final GyozaConfig config;

    /** Runs ops through one {@link io.camelsandai.client.OperatorClient} per operator, with these settings. */
    public GyozaWorker(GyozaConfig config, OperatorSettings operatorSettings) {
        this(config, new ClientOperatorInvoker(operatorSettings), true);
    }

    /** Runs ops through the given invoker (not closed by {@link #stop()}). */
    public GyozaWorker(GyozaConfig config, OperatorInvoker invoker) {
        this(config, invoker, false);
    }

    private GyozaWorker(GyozaConfig config, OperatorInvoker invoker, boolean ownsInvoker) {
        super("gyoza-" + config.workerId(), new GyozaProtocol(config), invoker, ownsInvoker, config.bridgeSettings());
        this.config = config;
    }

    public GyozaConfig config() {
        return config;
    }
}
