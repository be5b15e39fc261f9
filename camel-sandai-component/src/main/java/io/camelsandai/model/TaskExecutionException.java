package io.camelsandai.model;

/**
 * The operator ran the task and it failed: status {@code failed}, or Celery {@code FAILURE} (an exception outside
 * the operator contract, then {@link #traceback()} holds the worker's traceback).
 */
public class TaskExecutionException extends TaskException {
    private static final long serialVersionUID = 1L;

    private final TaskError error;

    public TaskExecutionException(String taskId, TaskError error) {
        super(taskId, "Task " + taskId + " failed: " + error.type() + ": " + error.message());
        this.error = error;
    }

    public TaskError error() {
        return error;
    }

    public String errorType() {
        return error.type();
    }

    public String errorMessage() {
        return error.message();
    }

    public boolean isRetryable() {
        return error.retryable();
    }

    public String traceback() {
        return error.traceback();
    }
}
