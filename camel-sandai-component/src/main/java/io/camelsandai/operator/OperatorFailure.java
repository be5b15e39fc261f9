package io.camelsandai.operator;

import io.camelsandai.model.SandaiException;
import io.camelsandai.model.TaskError;

/**
 * Thrown (or completed with) by a handler to fail a task with a chosen error {@code type} and {@code retryable}
 * flag; the result is {@code {"status": "failed", "error": {type, message, retryable}}}.
 */
public class OperatorFailure extends SandaiException {
    private static final long serialVersionUID = 1L;

    private final String type;
    private final boolean retryable;

    public OperatorFailure(String type, String message, boolean retryable) {
        super(message);
        this.type = type;
        this.retryable = retryable;
    }

    public OperatorFailure(String type, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.type = type;
        this.retryable = retryable;
    }

    public String type() {
        return type;
    }

    public boolean retryable() {
        return retryable;
    }

    public TaskError toError() {
        return new TaskError(type, getMessage(), retryable);
    }
}
