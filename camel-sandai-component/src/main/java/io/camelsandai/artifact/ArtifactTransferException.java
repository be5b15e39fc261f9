package io.camelsandai.artifact;

/**
 * Moving the bytes failed. Network errors, 5xx answers and throttling are {@linkplain #retryable() retryable};
 * refusals that would fail the same way again (size cap exceeded, bad request) are not.
 */
public class ArtifactTransferException extends ArtifactException {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public ArtifactTransferException(String message, boolean retryable) {
        super(message, null);
        this.retryable = retryable;
    }

    public ArtifactTransferException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    @Override
    public String errorType() {
        return "ArtifactTransferFailed";
    }

    @Override
    public boolean retryable() {
        return retryable;
    }
}
