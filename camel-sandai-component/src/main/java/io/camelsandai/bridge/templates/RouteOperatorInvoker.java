package io.camelsandai.bridge.templates;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.camelsandai.bridge.CallOutcome;
import io.camelsandai.bridge.ClientOperatorInvoker;
import io.camelsandai.bridge.OperatorCall;
import io.camelsandai.bridge.OperatorInvoker;
import io.camelsandai.bridge.OperatorTarget;
import io.camelsandai.bridge.ProgressUpdate;
import io.camelsandai.client.CallOptions;

/**
 * An {@link OperatorInvoker} that calls operators through a Camel route ending in a {@code sandai:} producer (see
 * {@link SandaiRouteCaller}), so a bridge's calls get the route's interceptors, tracing and metrics. Failures map to
 * {@link CallOutcome}s exactly as {@link ClientOperatorInvoker} maps them.
 *
 * <p>Progress is relayed: the producer calls the listener set in exchange property CamelSandaiProgressListener.
 */
public final class RouteOperatorInvoker implements OperatorInvoker {
    private final SandaiRouteCaller caller;
    private final ClientOperatorInvoker mapping;

    public RouteOperatorInvoker(SandaiRouteCaller caller) {
        this.caller = caller;
        // Used only for its exception -> outcome mapping; it never creates a client.
        this.mapping = new ClientOperatorInvoker(target -> {
            throw new IllegalStateException("not used");
        }, ClientOperatorInvoker.InvalidInputRule.CONVENTIONAL);
    }

    @Override
    public CompletableFuture<CallOutcome> invoke(OperatorCall call, Consumer<ProgressUpdate> progress) {
        CallOptions options = CallOptions.DEFAULTS.withPriority(call.target().priority())
                .withTimeout(call.effectiveTimeout()).withCancelKey(call.cancelKey())
                .withPersistentOutput(call.request().meta().persistentOutput());
        CompletableFuture<io.camelsandai.model.OperatorResult> started;
        try {
            started = caller.call(call.target(), call.request(), options,
                    ClientOperatorInvoker.progressAdapter(progress));
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        return started.handle((result, error) -> error == null ? CallOutcome.success(result) : mapping.toOutcome(error));
    }

    @Override
    public void cancel(OperatorTarget target, String cancelKey) {
        caller.cancel(target, cancelKey).join();
    }
}
