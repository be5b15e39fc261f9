package io.camelsandai.bridge.runqy;

/** The runqy server answered 404: unknown task id, or (on enqueue) unknown queue. */
public class TaskNotFoundException extends RunqyException {
    private static final long serialVersionUID = 1L;

    public TaskNotFoundException(String message) {
        super(404, message);
    }
}
