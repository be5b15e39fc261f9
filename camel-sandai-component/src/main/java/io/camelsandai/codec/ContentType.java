package io.camelsandai.codec;

import java.util.Locale;

/**
 * The two body serializers a Sandai operator accepts. Everything else (pickle, yaml, ...) is refused without being
 * deserialized: see {@link ContentDisallowedException}.
 */
public enum ContentType {
    MSGPACK("msgpack", "application/x-msgpack", "binary"),
    JSON("json", "application/json", "utf-8");

    private final String serializerName;
    private final String mimeType;
    private final String contentEncoding;

    ContentType(String serializerName, String mimeType, String contentEncoding) {
        this.serializerName = serializerName;
        this.mimeType = mimeType;
        this.contentEncoding = contentEncoding;
    }

    /** Celery's serializer name: {@code msgpack} or {@code json}. */
    public String serializerName() {
        return serializerName;
    }

    public String mimeType() {
        return mimeType;
    }

    public String contentEncoding() {
        return contentEncoding;
    }

    public byte[] encode(Object value) {
        return this == MSGPACK ? Msgpack.encode(value) : PythonJson.encode(value);
    }

    public Object decode(byte[] bytes) {
        return this == MSGPACK ? Msgpack.decode(bytes) : PythonJson.decode(bytes);
    }

    /** By Celery serializer name ({@code msgpack}, {@code json}); also accepts the MIME type. */
    public static ContentType fromSerializerName(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (ContentType c : values()) {
                if (c.serializerName.equals(n) || c.mimeType.equals(n)) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException("Unsupported serializer '" + name + "': expected msgpack or json");
    }

    /**
     * By the {@code content-type} of a message.
     *
     * @throws ContentDisallowedException for any other content type; the body is never looked at
     */
    public static ContentType fromMimeType(String mimeType) {
        if (mimeType != null) {
            String m = mimeType.trim().toLowerCase(Locale.ROOT);
            for (ContentType c : values()) {
                if (c.mimeType.equals(m)) {
                    return c;
                }
            }
        }
        throw new ContentDisallowedException(mimeType);
    }
}
