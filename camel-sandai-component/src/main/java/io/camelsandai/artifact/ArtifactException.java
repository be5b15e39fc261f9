package io.camelsandai.artifact;

import io.camelsandai.model.SandaiException;
import io.camelsandai.model.TaskError;

/**
 * Root of the artifact staging errors. Each one knows the error {@code type} and {@code retryable} flag it becomes in
 * a {@code failed} operator result, so the consumer side maps errors without a table of its own.
 */
public abstract class ArtifactException extends SandaiException {
    private static final long serialVersionUID = 1L;

    protected ArtifactException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The {@code error.type} of the failed result: ArtifactNotFound, ArtifactAccessDenied or ArtifactTransferFailed. */
    public abstract String errorType();

    /** Whether sending the same task again may succeed. */
    public abstract boolean retryable();

    public TaskError toTaskError() {
        return new TaskError(errorType(), getMessage(), retryable());
    }
}
