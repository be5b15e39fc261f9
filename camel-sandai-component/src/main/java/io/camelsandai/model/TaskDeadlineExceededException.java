package io.camelsandai.model;

/** The operator took the task after its deadline and did not run it (status {@code deadline_exceeded}). */
public class TaskDeadlineExceededException extends TaskException {
    private static final long serialVersionUID = 1L;

    public TaskDeadlineExceededException(String taskId, String detail) {
        super(taskId, "Task " + taskId + " passed its deadline before it ran" + (detail == null ? "" : ": " + detail));
    }
}
