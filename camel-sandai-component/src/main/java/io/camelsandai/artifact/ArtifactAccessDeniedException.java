package io.camelsandai.artifact;

/**
 * The location is refused: a file outside the allowed roots, a path with {@code ..}, a symlink escaping its root, an
 * unknown scheme, or a store answering 401/403. Never retryable.
 */
public class ArtifactAccessDeniedException extends ArtifactException {
    private static final long serialVersionUID = 1L;

    public ArtifactAccessDeniedException(String message) {
        super(message, null);
    }

    public ArtifactAccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String errorType() {
        return "ArtifactAccessDenied";
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
