package io.camelsandai.model;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A file named by URI and placed in a slot: {@code {"uri": "s3://bucket/key.mp4", "slot": "video"}} on input,
 * plus {@code size}, {@code sha256} and {@code content_type} on output. Members this class does not know are kept
 * so that a message passes through unchanged. The local path is never sent: it is where artifact staging put (or
 * found) the file on this machine.
 */
public final class Artifact {
    private final String uri;
    private final String slot;
    private final Long size;
    private final String sha256;
    private final String contentType;
    private final Path localPath;
    private final Map<String, Object> extra;

    private Artifact(Builder b) {
        this.uri = b.uri;
        this.slot = b.slot;
        this.size = b.size;
        this.sha256 = b.sha256;
        this.contentType = b.contentType;
        this.localPath = b.localPath;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
    }

    public static Artifact of(String uri, String slot) {
        return builder().uri(uri).slot(slot).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().uri(uri).slot(slot).size(size).sha256(sha256).contentType(contentType)
                .localPath(localPath);
        b.extra.putAll(extra);
        return b;
    }

    public String uri() {
        return uri;
    }

    public String slot() {
        return slot;
    }

    public Long size() {
        return size;
    }

    public String sha256() {
        return sha256;
    }

    public String contentType() {
        return contentType;
    }

    /** Where the file is on this machine, when artifact staging downloaded or produced it; else null. */
    public Path localPath() {
        return localPath;
    }

    /** Wire members other than the known ones. */
    public Map<String, Object> extra() {
        return extra;
    }

    /** The wire form: known members first, in the order the Python operator SDK writes them. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uri", uri);
        m.put("slot", slot);
        if (size != null) {
            m.put("size", size);
        }
        if (sha256 != null) {
            m.put("sha256", sha256);
        }
        if (contentType != null) {
            m.put("content_type", contentType);
        }
        extra.forEach(m::putIfAbsent);
        return m;
    }

    /**
     * Reads the wire form.
     *
     * @throws IllegalArgumentException when {@code value} is not a map with a string {@code uri}
     */
    public static Artifact fromMap(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("artifact must be a map {\"uri\": ..., \"slot\": ...}, got "
                                               + WireTypes.describe(value));
        }
        Object uri = map.get("uri");
        if (!(uri instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("artifact needs a non-empty string \"uri\", got " + WireTypes.describe(uri));
        }
        Object slot = map.get("slot");
        if (slot != null && !(slot instanceof String)) {
            throw new IllegalArgumentException("artifact \"slot\" must be a string, got " + WireTypes.describe(slot));
        }
        Builder b = builder().uri(s).slot((String) slot);
        Object size = map.get("size");
        if (size instanceof Number n) {
            b.size(n.longValue());
        }
        if (map.get("sha256") instanceof String sha) {
            b.sha256(sha);
        }
        if (map.get("content_type") instanceof String ct) {
            b.contentType(ct);
        }
        map.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (!KNOWN.contains(key)) {
                b.extra.put(key, v);
            }
        });
        return b.build();
    }

    private static final java.util.Set<String> KNOWN = java.util.Set.of("uri", "slot", "size", "sha256", "content_type");

    @Override
    public boolean equals(Object o) {
        return o instanceof Artifact a && Objects.equals(toMap(), a.toMap()) && Objects.equals(localPath, a.localPath);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, slot, size, sha256);
    }

    @Override
    public String toString() {
        // URIs may be pre-signed: drop the query string so signatures never reach a log line.
        String shown = uri == null ? null : uri.replaceAll("\\?.*$", "?...");
        return "Artifact[" + slot + " " + shown + (size != null ? " " + size + "B" : "") + "]";
    }

    public static final class Builder {
        private String uri;
        private String slot;
        private Long size;
        private String sha256;
        private String contentType;
        private Path localPath;
        private final Map<String, Object> extra = new LinkedHashMap<>();

        public Builder uri(String uri) {
            this.uri = uri;
            return this;
        }

        public Builder slot(String slot) {
            this.slot = slot;
            return this;
        }

        public Builder size(Long size) {
            this.size = size;
            return this;
        }

        public Builder sha256(String sha256) {
            this.sha256 = sha256;
            return this;
        }

        public Builder contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        public Builder localPath(Path localPath) {
            this.localPath = localPath;
            return this;
        }

        public Builder extra(String key, Object value) {
            this.extra.put(key, value);
            return this;
        }

        public Artifact build() {
            Objects.requireNonNull(uri, "uri");
            return new Artifact(this);
        }
    }
}
