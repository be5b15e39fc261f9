package io.camelsandai.artifact;

import java.net.URI;

/** {@code s3://bucket/key}: the bucket is the authority, the key the decoded path without its leading slash. */
record S3Location(String bucket, String key) {

    static S3Location of(URI uri) {
        if (!"s3".equalsIgnoreCase(uri.getScheme())) {
            throw new ArtifactAccessDeniedException("not an s3 URI: " + uri);
        }
        String bucket = uri.getAuthority();
        String path = uri.getPath();
        if (bucket == null || bucket.isEmpty() || path == null || path.length() < 2) {
            throw new ArtifactAccessDeniedException("s3 URI must be s3://bucket/key: " + uri);
        }
        return new S3Location(bucket, path.substring(1));
    }
}
