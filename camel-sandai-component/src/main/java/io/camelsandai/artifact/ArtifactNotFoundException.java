package io.camelsandai.artifact;

/** The object does not exist (S3 NoSuchKey/NoSuchBucket, HTTP 404/410, missing file). Never retryable. */
public class ArtifactNotFoundException extends ArtifactException {
    private static final long serialVersionUID = 1L;

    public ArtifactNotFoundException(String message) {
        super(message, null);
    }

    public ArtifactNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String errorType() {
        return "ArtifactNotFound";
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
