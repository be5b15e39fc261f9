package io.camelsandai.model;

import java.time.Duration;

/** No final result arrived within the caller's timeout. The task may still run; its id is here to look it up. */
public class TaskTimeoutException extends TaskException {
    private static final long serialVersionUID = 1L;

    public TaskTimeoutException(String taskId, Duration timeout) {
        super(taskId, "Task " + taskId + " gave no final result within " + timeout.toMillis() + " ms");
    }
}
