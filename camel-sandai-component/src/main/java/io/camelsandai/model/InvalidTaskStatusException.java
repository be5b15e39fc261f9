package io.camelsandai.model;

/** The result carries a status (or Celery state) this client does not know. */
public class InvalidTaskStatusException extends TaskException {
    private static final long serialVersionUID = 1L;

    public InvalidTaskStatusException(String taskId, String status) {
        super(taskId, "Task " + taskId + " ended with unknown status '" + status + "'");
    }
}
