package io.camelsandai.artifact;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Options of artifact staging, shared by the stores, the operator side ({@link StagingOperatorHandler}) and the
 * client side ({@link StagingClient}). Immutable; {@link #toString()} never shows the S3 secret key.
 */
public final class ArtifactSettings {
    public static final long MIB = 1024L * 1024L;

    private final Path workDir;
    private final List<Path> allowedRoots;
    private final String outputUri;
    private final String stagingUri;
    private final String persistentPrefix;
    private final String temporaryPrefix;
    private final int downloadConcurrency;
    private final int uploadConcurrency;
    private final URI s3Endpoint;
    private final String s3Region;
    private final boolean s3PathStyle;
    private final String s3AccessKey;
    private final String s3SecretKey;
    private final long multipartThreshold;
    private final long multipartPartSize;
    private final long httpMaxBytes;
    private final int httpMaxRedirects;
    private final Duration httpTimeout;
    private final boolean keepWorkDirOnFailure;

    private ArtifactSettings(Builder b) {
        this.workDir = b.workDir.toAbsolutePath().normalize();
        List<Path> roots = new ArrayList<>();
        for (Path root : b.allowedRoots) {
            if (!root.isAbsolute()) {
                throw new IllegalArgumentException("allowedRoots must be absolute paths, got " + root);
            }
            roots.add(root.normalize());
        }
        this.allowedRoots = List.copyOf(roots);
        this.outputUri = b.outputUri;
        this.stagingUri = b.stagingUri;
        this.persistentPrefix = b.persistentPrefix;
        this.temporaryPrefix = b.temporaryPrefix;
        this.downloadConcurrency = atLeastOne("downloadConcurrency", b.downloadConcurrency);
        this.uploadConcurrency = atLeastOne("uploadConcurrency", b.uploadConcurrency);
        this.s3Endpoint = b.s3Endpoint;
        this.s3Region = b.s3Region;
        this.s3PathStyle = b.s3PathStyle;
        if ((b.s3AccessKey == null) != (b.s3SecretKey == null)) {
            throw new IllegalArgumentException("s3AccessKey and s3SecretKey go together: set both or neither");
        }
        this.s3AccessKey = b.s3AccessKey;
        this.s3SecretKey = b.s3SecretKey;
        if (b.multipartPartSize < 5 * MIB) {
            throw new IllegalArgumentException("multipartPartSize must be at least 5 MiB (the S3 minimum), got "
                                               + b.multipartPartSize);
        }
        if (b.multipartThreshold < b.multipartPartSize) {
            throw new IllegalArgumentException("multipartThreshold must be at least multipartPartSize");
        }
        this.multipartThreshold = b.multipartThreshold;
        this.multipartPartSize = b.multipartPartSize;
        if (b.httpMaxBytes < 1) {
            throw new IllegalArgumentException("httpMaxBytes must be positive, got " + b.httpMaxBytes);
        }
        this.httpMaxBytes = b.httpMaxBytes;
        if (b.httpMaxRedirects < 0) {
            throw new IllegalArgumentException("httpMaxRedirects must not be negative, got " + b.httpMaxRedirects);
        }
        this.httpMaxRedirects = b.httpMaxRedirects;
        this.httpTimeout = Objects.requireNonNull(b.httpTimeout, "httpTimeout");
        this.keepWorkDirOnFailure = b.keepWorkDirOnFailure;
    }

    private static int atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
        return value;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ArtifactSettings defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.workDir = workDir;
        b.allowedRoots = new ArrayList<>(allowedRoots);
        b.outputUri = outputUri;
        b.stagingUri = stagingUri;
        b.persistentPrefix = persistentPrefix;
        b.temporaryPrefix = temporaryPrefix;
        b.downloadConcurrency = downloadConcurrency;
        b.uploadConcurrency = uploadConcurrency;
        b.s3Endpoint = s3Endpoint;
        b.s3Region = s3Region;
        b.s3PathStyle = s3PathStyle;
        b.s3AccessKey = s3AccessKey;
        b.s3SecretKey = s3SecretKey;
        b.multipartThreshold = multipartThreshold;
        b.multipartPartSize = multipartPartSize;
        b.httpMaxBytes = httpMaxBytes;
        b.httpMaxRedirects = httpMaxRedirects;
        b.httpTimeout = httpTimeout;
        b.keepWorkDirOnFailure = keepWorkDirOnFailure;
        return b;
    }

    /** Per-task work dirs are created below this directory. */
    public Path workDir() {
        return workDir;
    }

    /** {@code file://} locations are allowed only below these roots; empty (the default) refuses every file URI. */
    public List<Path> allowedRoots() {
        return allowedRoots;
    }

    /** Operator side: where outputs are uploaded, e.g. {@code s3://bucket/outputs/}; null = no uploads. */
    public String outputUri() {
        return outputUri;
    }

    /** Client side: where local inputs are uploaded before a task is sent, e.g. {@code s3://bucket/staging/}. */
    public String stagingUri() {
        return stagingUri;
    }

    /** Prefix below {@link #outputUri()} for tasks with {@code meta.persistent-output = true}. */
    public String persistentPrefix() {
        return persistentPrefix;
    }

    /** Prefix below {@link #outputUri()} for the other tasks; meant for a bucket lifecycle (expiry) rule. */
    public String temporaryPrefix() {
        return temporaryPrefix;
    }

    public int downloadConcurrency() {
        return downloadConcurrency;
    }

    public int uploadConcurrency() {
        return uploadConcurrency;
    }

    /** S3-compatible endpoint (MinIO, S3Proxy); null = AWS. */
    public URI s3Endpoint() {
        return s3Endpoint;
    }

    /** Null = the SDK's region chain, else {@code us-east-1}. */
    public String s3Region() {
        return s3Region;
    }

    public boolean s3PathStyle() {
        return s3PathStyle;
    }

    /** Null = the SDK's default credentials chain. */
    public String s3AccessKey() {
        return s3AccessKey;
    }

    /** Not shown by {@link #toString()}; use only to build the credentials. */
    public String s3SecretKey() {
        return s3SecretKey;
    }

    /** Objects larger than this go as multipart uploads. */
    public long multipartThreshold() {
        return multipartThreshold;
    }

    public long multipartPartSize() {
        return multipartPartSize;
    }

    /** HTTP downloads larger than this are refused. */
    public long httpMaxBytes() {
        return httpMaxBytes;
    }

    public int httpMaxRedirects() {
        return httpMaxRedirects;
    }

    /** Connect timeout and time to the response headers of HTTP transfers. */
    public Duration httpTimeout() {
        return httpTimeout;
    }

    public boolean keepWorkDirOnFailure() {
        return keepWorkDirOnFailure;
    }

    @Override
    public String toString() {
        return "ArtifactSettings[workDir=" + workDir + ", allowedRoots=" + allowedRoots + ", outputUri=" + outputUri
               + ", stagingUri=" + stagingUri + ", persistentPrefix=" + persistentPrefix + ", temporaryPrefix="
               + temporaryPrefix + ", downloadConcurrency=" + downloadConcurrency + ", uploadConcurrency="
               + uploadConcurrency + ", s3Endpoint=" + s3Endpoint + ", s3Region=" + s3Region + ", s3PathStyle="
               + s3PathStyle + ", s3AccessKey=" + s3AccessKey + ", s3SecretKey=" + (s3SecretKey == null ? null : "****")
               + ", multipartThreshold=" + multipartThreshold + ", multipartPartSize=" + multipartPartSize
               + ", httpMaxBytes=" + httpMaxBytes + ", httpMaxRedirects=" + httpMaxRedirects + ", httpTimeout="
               + httpTimeout + ", keepWorkDirOnFailure=" + keepWorkDirOnFailure + "]";
    }

    public static final class Builder {
        private Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "sandai-artifacts");
        private List<Path> allowedRoots = new ArrayList<>();
        private String outputUri;
        private String stagingUri;
        private String persistentPrefix = "persistent";
        private String temporaryPrefix = "tmp";
        private int downloadConcurrency = 4;
        private int uploadConcurrency = 4;
        private URI s3Endpoint;
        private String s3Region;
        private boolean s3PathStyle;
        private String s3AccessKey;
        private String s3SecretKey;
        private long multipartThreshold = 16 * MIB;
        private long multipartPartSize = 8 * MIB;
        private long httpMaxBytes = 64L * 1024 * MIB;
        private int httpMaxRedirects = 5;
        private Duration httpTimeout = Duration.ofSeconds(30);
        private boolean keepWorkDirOnFailure;

        private Builder() {
        }

        public Builder workDir(Path v) {
            workDir = Objects.requireNonNull(v);
            return this;
        }

        public Builder allowedRoots(List<Path> v) {
            allowedRoots = new ArrayList<>(v);
            return this;
        }

        public Builder allowedRoot(Path v) {
            allowedRoots.add(Objects.requireNonNull(v));
            return this;
        }

        public Builder outputUri(String v) {
            outputUri = v;
            return this;
        }

        public Builder stagingUri(String v) {
            stagingUri = v;
            return this;
        }

        public Builder persistentPrefix(String v) {
            persistentPrefix = Objects.requireNonNull(v);
            return this;
        }

        public Builder temporaryPrefix(String v) {
            temporaryPrefix = Objects.requireNonNull(v);
            return this;
        }

        public Builder downloadConcurrency(int v) {
            downloadConcurrency = v;
            return this;
        }

        public Builder uploadConcurrency(int v) {
            uploadConcurrency = v;
            return this;
        }

        public Builder s3Endpoint(URI v) {
            s3Endpoint = v;
            return this;
        }

        public Builder s3Region(String v) {
            s3Region = v;
            return this;
        }

        public Builder s3PathStyle(boolean v) {
            s3PathStyle = v;
            return this;
        }

        public Builder s3Credentials(String accessKey, String secretKey) {
            s3AccessKey = accessKey;
            s3SecretKey = secretKey;
            return this;
        }

        public Builder multipartThreshold(long v) {
            multipartThreshold = v;
            return this;
        }

        public Builder multipartPartSize(long v) {
            multipartPartSize = v;
            return this;
        }

        public Builder httpMaxBytes(long v) {
            httpMaxBytes = v;
            return this;
        }

        public Builder httpMaxRedirects(int v) {
            httpMaxRedirects = v;
            return this;
        }

        public Builder httpTimeout(Duration v) {
            httpTimeout = v;
            return this;
        }

        public Builder keepWorkDirOnFailure(boolean v) {
            keepWorkDirOnFailure = v;
            return this;
        }

        public ArtifactSettings build() {
            return new ArtifactSettings(this);
        }
    }
}
