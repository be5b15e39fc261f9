package io.camelsandai.bridge;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The port through which a bridge runs a task on a Sandai operator. The future never completes exceptionally:
 * every way a call can end is a {@link CallOutcome}.
 */
public interface OperatorInvoker extends AutoCloseable {

    /**
     * Starts the call.
     *
     * @param progress sees the operator's progress reports; may be null. Called on a transport thread: keep it short.
     */
    CompletableFuture<CallOutcome> invoke(OperatorCall call, Consumer<ProgressUpdate> progress);

    /** Sets the Sandai cancel key of a call started earlier; best effort (an operator already computing finishes). */
    void cancel(OperatorTarget target, String cancelKey);

    @Override
    default void close() {
    }
}
