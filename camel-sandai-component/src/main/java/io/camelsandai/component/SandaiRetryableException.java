package io.camelsandai.component;

import io.camelsandai.operator.OperatorFailure;

/**
 * Thrown by a consumer route to fail the task as retryable: the result is
 * {@code {"status": "failed", "error": {"type", "message", "retryable": true}}}. The type is the one given, else the
 * simple class name of the cause, else {@code SandaiRetryableException}. (Alternatively, set header
 * {@link SandaiConstants#RETRYABLE} to true next to any exception.)
 */
public class SandaiRetryableException extends OperatorFailure {
    private static final long serialVersionUID = 1L;

    public SandaiRetryableException(String message) {
        super(SandaiRetryableException.class.getSimpleName(), message, true);
    }

    public SandaiRetryableException(String message, Throwable cause) {
        super(cause != null ? cause.getClass().getSimpleName() : SandaiRetryableException.class.getSimpleName(), message,
              true, cause);
    }

    public SandaiRetryableException(String type, String message, Throwable cause) {
        super(type, message, true, cause);
    }
}
