package io.camelsandai.bridge;

/**
 * What every orchestrator-facing worker (Avtomatika, gyoza) offers on top of its {@link BridgeWorker}: start, a
 * graceful stop that also closes an invoker the worker created itself, cancellation and a view of its state.
 *
 * @param <T> the protocol's task type
 */
public abstract class OrchestratorWorker<T> {
    private final OperatorInvoker invoker;
    private final boolean ownsInvoker;
    private final BridgeWorker<T> worker;

    /**
     * @param ownsInvoker whether {@link #stop()} closes the invoker (true when the worker made it from settings)
     */
    protected OrchestratorWorker(String name, BridgeProtocol<T> protocol, OperatorInvoker invoker, boolean ownsInvoker,
                                 BridgeSettings settings) {
        this.invoker = invoker;
        this.ownsInvoker = ownsInvoker;
        this.worker = new BridgeWorker<>(name, protocol, invoker, settings);
    }

    public void start() {
        worker.start();
    }

    /** Stops within the configured shutdown timeout; lists what could not be finished or posted. */
    public StopReport stop() {
        try {
            return worker.stop();
        } finally {
            if (ownsInvoker) {
                invoker.close();
            }
        }
    }

    public boolean isRunning() {
        return worker.isRunning();
    }

    public WorkerSnapshot snapshot() {
        return worker.snapshot();
    }

    /** Sets the Sandai cancel key of a running task. */
    public boolean cancel(String taskId) {
        return worker.cancel(taskId);
    }

    /** Reports still waiting to be posted (kept and retried). */
    public int pendingReports() {
        return worker.outbox().pending();
    }
}
