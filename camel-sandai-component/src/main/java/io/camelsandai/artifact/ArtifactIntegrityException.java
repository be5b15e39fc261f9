package io.camelsandai.artifact;

/**
 * The bytes received do not match the size or sha256 the artifact announced. Retryable: a fresh transfer may be whole.
 */
public class ArtifactIntegrityException extends ArtifactTransferException {
    private static final long serialVersionUID = 1L;

    public ArtifactIntegrityException(String message) {
        super(message, true);
    }
}
