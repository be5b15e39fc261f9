package io.camelsandai.model;

/** The result is not a map with {@code status}, {@code artifacts} (list) and {@code results} (map). */
public class InvalidResultFormatException extends TaskException {
    private static final long serialVersionUID = 1L;

    public InvalidResultFormatException(String taskId, String problem) {
        super(taskId, "Task " + taskId + " returned a result in an invalid format: " + problem);
    }
}
