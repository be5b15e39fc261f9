package io.camelsandai.artifact;

import java.net.URI;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Maps AWS SDK errors to the staging error contract: 404 not found, 401/403 denied, 5xx/throttling/network retryable. */
final class S3Errors {
    private S3Errors() {
    }

    static ArtifactException map(SdkException e, String operation, URI uri) {
        String what = operation + " " + uri;
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = service.awsErrorDetails() != null ? service.awsErrorDetails().errorCode() : null;
            String detail = what + " failed: HTTP " + status + (code != null ? " " + code : "");
            if (status == 404 || "NoSuchKey".equals(code) || "NoSuchBucket".equals(code) || "NoSuchUpload".equals(code)) {
                return new ArtifactNotFoundException(detail, e);
            }
            if (status == 401 || status == 403) {
                return new ArtifactAccessDeniedException(detail, e);
            }
            boolean retryable = status >= 500 || status == 429 || status == 408 || service.isThrottlingException()
                                || "RequestTimeout".equals(code) || "SlowDown".equals(code);
            return new ArtifactTransferException(detail, retryable, e);
        }
        if (e instanceof SdkClientException) {
            // Connection refused/reset, timeouts, truncated bodies: the next attempt may go through.
            return new ArtifactTransferException(what + " failed: " + e.getMessage(), true, e);
        }
        return new ArtifactTransferException(what + " failed: " + e.getMessage(), e.retryable(), e);
    }
}
