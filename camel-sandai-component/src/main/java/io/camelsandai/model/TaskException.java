package io.camelsandai.model;

/** An exception about one task; carries its id. */
public class TaskException extends SandaiException {
    private static final long serialVersionUID = 1L;

    private final String taskId;

    public TaskException(String taskId, String message) {
        super(message);
        this.taskId = taskId;
    }

    public String taskId() {
        return taskId;
    }
}
