package io.camelsandai.bridge;

import java.util.List;

/**
 * One external task source, seen by a {@link BridgeWorker}: how to register, fetch tasks, turn a task into an
 * operator call and an outcome into reports. The worker owns threads, limits, retries and stop; implementations
 * only speak their protocol. Methods may throw for transport failures: the worker retries with backoff.
 *
 * @param <T> the source's task type
 */
public interface BridgeProtocol<T> {

    /** Called once before anything else, with the handle commands (cancel, heartbeat now) go through. */
    default void bind(WorkerControl control) {
    }

    /** Registers or connects. Retried by the worker with backoff until it returns or the worker stops. */
    void open() throws Exception;

    /**
     * Waits for work up to the source's own poll time, called only while the worker has a free slot. May return
     * more tasks than free slots; the extra ones wait in the worker for a slot (and count against the limit).
     */
    List<T> fetch(WorkerSnapshot snapshot) throws Exception;

    /** Aborts a {@link #fetch} that is blocked (on stop). */
    default void interruptFetch() {
    }

    String taskId(T task);

    /** The task type for per-type limits; null when only the global limit applies. */
    default String limitGroup(T task) {
        return null;
    }

    /**
     * The W3C trace context the source sent with the task ({@code traceparent}, ...), made current while the operator
     * is called so that its send span continues the source's trace; empty when the source sends none.
     */
    default java.util.Map<String, ?> traceContext(T task) {
        return java.util.Map.of();
    }

    /** The operator call for a task, or an outcome known without calling (unknown skill, bad parameters). */
    Preparation prepare(T task);

    /** A report to post before the call (gyoza STARTED); null for none. If the peer refuses it the task is skipped. */
    default Report startReport(T task) {
        return null;
    }

    /** A best-effort progress report; null to drop the update. */
    default Report progressReport(T task, ProgressUpdate update) {
        return null;
    }

    /**
     * The final report of a task.
     *
     * @param cancelRequested true when the source asked to cancel this task while it ran
     */
    Report finalReport(T task, CallOutcome outcome, boolean cancelRequested);

    /** The task's slot is free again (reported, refused at start, or failed inside the bridge). */
    default void released(T task) {
    }

    /** Sent on the heartbeat interval and shortly after the load changes. */
    void heartbeat(WorkerSnapshot snapshot) throws Exception;

    /** Stop began: tell the source (e.g. a heartbeat with a non-idle status). Best effort. */
    default void draining(WorkerSnapshot snapshot) {
    }

    /** Everything is done; release connections. */
    default void close(WorkerSnapshot snapshot) {
    }

    /** What {@link #prepare} found: exactly one of a call or an outcome. */
    record Preparation(OperatorCall call, CallOutcome outcome) {
        public static Preparation call(OperatorCall call) {
            return new Preparation(java.util.Objects.requireNonNull(call), null);
        }

        public static Preparation done(CallOutcome outcome) {
            return new Preparation(null, java.util.Objects.requireNonNull(outcome));
        }
    }
}
