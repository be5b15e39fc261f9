package io.camelsandai.codec;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A Celery message as taken from a Redis list (the parsed envelope) or as delivered by a transport that carries
 * headers and properties natively (AMQP, {@link #of}), with its body still serialized. Reading the body
 * ({@link #decodeBody()}) is a separate step so that a disallowed content type is refused before any byte of the
 * body is deserialized.
 */
public final class TaskEnvelope {
    private final String raw;
    private final byte[] rawAscii;
    private final Map<String, Object> headers;
    private final Map<String, Object> properties;
    private final String contentTypeName;
    private final String contentEncoding;
    private final Object rawBody;

    private TaskEnvelope(String raw, byte[] rawAscii, Map<String, Object> headers, Map<String, Object> properties,
                         String contentTypeName, String contentEncoding, Object rawBody) {
        this.raw = raw;
        this.rawAscii = rawAscii;
        this.headers = headers;
        this.properties = properties;
        this.contentTypeName = contentTypeName;
        this.contentEncoding = contentEncoding;
        this.rawBody = rawBody;
    }

    /**
     * Parses the envelope JSON.
     *
     * @throws MalformedMessageException when it is not a JSON map with {@code headers} and {@code properties} maps
     */
    public static TaskEnvelope parse(String raw) {
        return fromDecoded(raw, null, PythonJson.decode(raw));
    }

    /**
     * Parses an envelope as taken from a list, which must be UTF-8 text. An ASCII one (what kombu writes) is parsed
     * from its bytes as they are, with no copy as text; any other is decoded strictly first.
     *
     * @return null when the bytes are not valid UTF-8
     * @throws MalformedMessageException as {@link #parse(String)}
     */
    public static TaskEnvelope parseUtf8(byte[] raw) {
        if (Utf8Text.isAscii(raw)) {
            return fromDecoded(null, raw, PythonJson.decode(raw));
        }
        String text = Utf8Text.strict(raw);
        return text == null ? null : parse(text);
    }

    @SuppressWarnings("unchecked")
    private static TaskEnvelope fromDecoded(String raw, byte[] rawAscii, Object parsed) {
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new MalformedMessageException("envelope is not a JSON object");
        }
        Object headers = map.get("headers");
        Object properties = map.get("properties");
        if (!(headers instanceof Map) || !(properties instanceof Map)) {
            throw new MalformedMessageException("envelope lacks \"headers\" or \"properties\" maps");
        }
        Object contentType = map.get("content-type");
        Object encoding = map.get("content-encoding");
        return new TaskEnvelope(raw, rawAscii, (Map<String, Object>) headers, (Map<String, Object>) properties,
                contentType instanceof String s ? s : null, encoding instanceof String e ? e : null, map.get("body"));
    }

    /**
     * A message whose transport already split it into headers, properties and body (AMQP): nothing to parse, and the
     * body stays the serialized bytes until {@link #decodeBody()}.
     *
     * @param headers    the protocol-v2 headers as plain Java values (texts, {@link Long}s, lists, maps)
     * @param properties kombu's names: {@code correlation_id}, {@code reply_to}, {@code priority},
     *                   {@code delivery_info}, ...
     */
    public static TaskEnvelope of(Map<String, Object> headers, Map<String, Object> properties, String contentType,
                                  String contentEncoding, byte[] body) {
        return new TaskEnvelope(null, null, headers, properties, contentType, contentEncoding, body);
    }

    /** The envelope text exactly as it was taken, for restore and dead-lettering; null for {@link #of}. */
    public String raw() {
        return rawAscii != null ? new String(rawAscii, StandardCharsets.ISO_8859_1) : raw;
    }

    public Map<String, Object> headers() {
        return headers;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    /** Protocol v2 carries the id in headers; protocol v1 messages put it in {@code correlation_id} only. */
    public String taskId() {
        Object id = headers.get("id");
        if (id == null) {
            id = properties.get("correlation_id");
        }
        return id instanceof String s && !s.isBlank() ? s : null;
    }

    public String taskName() {
        return headers.get("task") instanceof String s ? s : null;
    }

    public String deliveryTag() {
        return properties.get("delivery_tag") instanceof String s ? s : null;
    }

    public String routingKey() {
        return properties.get("delivery_info") instanceof Map<?, ?> info && info.get("routing_key") instanceof String s
                ? s : null;
    }

    public int retries() {
        return headers.get("retries") instanceof Number n ? n.intValue() : 0;
    }

    /** The Celery message priority (0-255; kombu steps 0/3/6/9); Sandai normally sends 0. */
    public int priority() {
        return properties.get("priority") instanceof Number n ? n.intValue() : 0;
    }

    public String contentTypeName() {
        return contentTypeName;
    }

    /**
     * The Celery {@code eta} header (set by {@code send_task(eta=...)} and {@code countdown=...}): the task must not
     * start before it; null when absent.
     *
     * @throws MalformedMessageException when present but not an ISO-8601 datetime text (Celery: InvalidTaskError)
     */
    public Instant eta() {
        OffsetDateTime eta = etaWithOffset();
        return eta == null ? null : eta.toInstant();
    }

    /** {@link #eta()} with the offset it was sent with ({@code +00:00} when naive), as Celery reports it. */
    public OffsetDateTime etaWithOffset() {
        return timestamp("eta", "ETA");
    }

    /**
     * The Celery {@code expires} header (set by {@code send_task(expires=seconds or datetime)}): a task taken or
     * started after it is revoked, not run; null when absent.
     *
     * @throws MalformedMessageException when present but not an ISO-8601 datetime text (Celery: InvalidTaskError)
     */
    public Instant expires() {
        OffsetDateTime expires = timestamp("expires", "expires");
        return expires == null ? null : expires.toInstant();
    }

    private OffsetDateTime timestamp(String header, String label) {
        Object value = headers.get(header);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            String kind = value instanceof Number ? "number" : value instanceof Map ? "map"
                    : value instanceof List ? "list" : value.getClass().getSimpleName();
            throw new MalformedMessageException("invalid " + label + " value: a " + kind
                                                + ", not an ISO-8601 datetime text");
        }
        try {
            return CeleryTimestamp.parseWithOffset(text);
        } catch (MalformedMessageException e) {
            throw new MalformedMessageException("invalid " + label + " value: " + e.getMessage());
        }
    }

    /**
     * Decodes the body: base64 when {@code body_encoding} says so, then by content type.
     *
     * @throws ContentDisallowedException for content types other than msgpack and JSON, before touching the body
     * @throws MalformedMessageException  when the body is not a protocol-v2 {@code [args, kwargs, embed]} array
     */
    public TaskBody decodeBody() {
        ContentType type = ContentType.fromMimeType(contentTypeName);
        byte[] bytes = bodyBytes();
        Object decoded = type.decode(bytes);
        return TaskBody.fromDecoded(decoded);
    }

    private byte[] bodyBytes() {
        if (rawBody instanceof byte[] bytes) {
            return bytes; // a transport's native body: never base64
        }
        if (!(rawBody instanceof String body)) {
            throw new MalformedMessageException("envelope \"body\" is not a string");
        }
        if ("base64".equals(properties.get("body_encoding"))) {
            try {
                return Base64.getMimeDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new MalformedMessageException("body is not valid base64");
            }
        }
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** The body members of a v2 message. */
    public record TaskBody(List<Object> args, Map<String, Object> kwargs, Map<String, Object> embed) {
        @SuppressWarnings("unchecked")
        static TaskBody fromDecoded(Object decoded) {
            if (!(decoded instanceof List<?> list) || list.size() != 3) {
                throw new MalformedMessageException("body is not a protocol-v2 [args, kwargs, embed] array");
            }
            Object args = list.get(0);
            Object kwargs = list.get(1);
            Object embed = list.get(2);
            if (args != null && !(args instanceof List)) {
                throw new MalformedMessageException("body args is not a list");
            }
            if (kwargs != null && !(kwargs instanceof Map)) {
                throw new MalformedMessageException("body kwargs is not a map");
            }
            return new TaskBody(args == null ? List.of() : (List<Object>) args,
                    kwargs == null ? Map.of() : (Map<String, Object>) kwargs,
                    embed instanceof Map ? (Map<String, Object>) embed : Map.of());
        }
    }
}
