package io.camelsandai.bridge.avtomatika;

import io.camelsandai.bridge.ClientOperatorInvoker;
import io.camelsandai.bridge.OperatorInvoker;
import io.camelsandai.bridge.OrchestratorWorker;
import io.camelsandai.client.OperatorSettings;

/**
 * An Avtomatika worker whose skills run on Sandai operators. {@link #start()} registers (retrying with backoff),
 * then long-polls while a slot is free and heartbeats on the interval; {@link #stop()} drains gracefully.
 *
 * <pre>{@code
 * AvtomatikaConfig config = AvtomatikaConfig.builder().fromEnvironment(System::getenv)
 *         .skill(AvtomatikaSkill.of("transcribe", new OperatorTarget("whisper", "v1", Priority.HIGH, Duration.ofMinutes(5))))
 *         .maxConcurrentTasks(4).build();
 * AvtomatikaWorker worker = new AvtomatikaWorker(config, OperatorSettings.fromEnvironment());
 * worker.start();
 * }</pre>
 */
public final class AvtomatikaWorker extends OrchestratorWorker<AvtomatikaTask> {
    private final AvtomatikaConfig config;

    /** Runs skills through one {@link io.camelsandai.client.OperatorClient} per operator, with these settings. */
    public AvtomatikaWorker(AvtomatikaConfig config, OperatorSettings operatorSettings) {
        this(config, new ClientOperatorInvoker(operatorSettings), true);
    }

    /** Runs skills through the given invoker (not closed by {@link #stop()}). */
    public AvtomatikaWorker(AvtomatikaConfig config, OperatorInvoker invoker) {
        this(config, invoker, false);
    }

    private AvtomatikaWorker(AvtomatikaConfig config, OperatorInvoker invoker, boolean ownsInvoker) {
        super("avtomatika-" + config.workerId(), new AvtomatikaProtocol(config), invoker, ownsInvoker, config.bridgeSettings());
        this.config = config;
    }

    public AvtomatikaConfig config() {
        return config;
    }
}
