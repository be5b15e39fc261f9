package io.camelsandai.model;

/** The task was cancelled (status {@code cancelled}) or revoked (Celery {@code REVOKED}) before it ran. */
public class TaskCancelledException extends TaskException {
    private static final long serialVersionUID = 1L;

    public TaskCancelledException(String taskId, String detail) {
        super(taskId, "Task " + taskId + " was cancelled" + (detail == null ? "" : ": " + detail));
    }
}
