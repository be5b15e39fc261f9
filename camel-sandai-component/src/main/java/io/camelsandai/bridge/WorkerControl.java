package io.camelsandai.bridge;

/** What a protocol may ask of its worker, e.g. on a command from the source. */
public interface WorkerControl {

    /** Cancels a running task: sets its Sandai cancel key. Returns false when the task is not running here. */
    boolean cancel(String taskId);

    /** The current load. */
    WorkerSnapshot snapshot();

    /** Sends a heartbeat soon (debounced). */
    void heartbeatSoon();
}
