package io.camelsandai.codec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A Celery protocol-v2 task as a producer builds it. {@link #toEnvelope()} writes the exact envelope stock Celery
 * 5.2 writes for {@code send_task(name, kwargs=..., queue=..., serializer=...)}.
 */
public final class TaskMessage {
    private final String id;
    private final String taskName;
    private final List<Object> args;
    private final Map<String, Object> kwargs;
    private final String queue;
    private final ContentType contentType;
    private final int priority;
    private final String origin;
    private final String replyTo;
    private final String deliveryTag;
    private final int retries;
    private final boolean ignoreResult;

    private TaskMessage(Builder b) {
        this.id = b.id != null ? b.id : UUID.randomUUID().toString();
        this.taskName = Objects.requireNonNull(b.taskName, "taskName");
        this.args = b.args;
        this.kwargs = b.kwargs;
        this.queue = Objects.requireNonNull(b.queue, "queue");
        this.contentType = b.contentType;
        this.priority = b.priority;
        this.origin = b.origin;
        this.replyTo = b.replyTo;
        this.deliveryTag = b.deliveryTag != null ? b.deliveryTag : UUID.randomUUID().toString();
        this.retries = b.retries;
        this.ignoreResult = b.ignoreResult;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String id() {
        return id;
    }

    public String taskName() {
        return taskName;
    }

    public String queue() {
        return queue;
    }

    public int priority() {
        return priority;
    }

    public Map<String, Object> kwargs() {
        return kwargs;
    }

    public ContentType contentType() {
        return contentType;
    }

    /**
     * The Redis list this message goes to: the queue itself for priority 0, else kombu's priority sub-list
     * ({@code <queue>\x06\x16<step>}, steps 0/3/6/9).
     */
    public String listKey() {
        return KombuKeys.priorityList(queue, priority);
    }

    /** {@code [args, kwargs, embed]} serialized with the message's content type. */
    public byte[] encodeBody() {
        Map<String, Object> embed = new LinkedHashMap<>();
        embed.put("callbacks", null);
        embed.put("errbacks", null);
        embed.put("chain", null);
        embed.put("chord", null);
        List<Object> body = new ArrayList<>(3);
        body.add(args);
        body.add(kwargs);
        body.add(embed);
        return contentType.encode(body);
    }

    /** The envelope JSON text, member for member and in the order stock Celery writes it. */
    public String toEnvelope() {
        return toEnvelope(Map.of());
    }

    /**
     * {@link #toEnvelope()} with extra top-level headers after Celery's own, where the Python OpenTelemetry
     * instrumentation puts {@code traceparent}, {@code tracestate} and {@code baggage}.
     */
    public String toEnvelope(Map<String, String> extraHeaders) {
        Map<String, Object> headers = headers(extraHeaders);

        Map<String, Object> deliveryInfo = new LinkedHashMap<>();
        deliveryInfo.put("exchange", "");
        deliveryInfo.put("routing_key", queue);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("correlation_id", id);
        properties.put("reply_to", replyTo);
        properties.put("delivery_mode", 2);
        properties.put("delivery_info", deliveryInfo);
        properties.put("priority", priority);
        properties.put("body_encoding", "base64");
        properties.put("delivery_tag", deliveryTag);

        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("body", java.util.Base64.getEncoder().encodeToString(encodeBody()));
        envelope.put("content-encoding", contentType.contentEncoding());
        envelope.put("content-type", contentType.mimeType());
        envelope.put("headers", headers);
        envelope.put("properties", properties);
        return PythonJson.encodeToString(envelope);
    }

    /**
     * The protocol-v2 headers, in Celery's order, with {@code extraHeaders} after them: the envelope's
     * {@code headers} on Redis, the AMQP application headers on RabbitMQ.
     */
    public Map<String, Object> headers(Map<String, String> extraHeaders) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("lang", "py");
        headers.put("task", taskName);
        headers.put("id", id);
        headers.put("shadow", null);
        headers.put("eta", null);
        headers.put("expires", null);
        headers.put("group", null);
        headers.put("group_index", null);
        headers.put("retries", retries);
        headers.put("timelimit", java.util.Arrays.asList(null, null));
        headers.put("root_id", id);
        headers.put("parent_id", null);
        headers.put("argsrepr", PythonRepr.saferepr(args.toArray(), PythonRepr.CELERY_MAXSIZE));
        headers.put("kwargsrepr", PythonRepr.saferepr(kwargs, PythonRepr.CELERY_MAXSIZE));
        headers.put("origin", origin);
        headers.put("ignore_result", ignoreResult);
        extraHeaders.forEach(headers::putIfAbsent);
        return headers;
    }

    /** The sending app's id (Celery's {@code reply_to}); may be null. */
    public String replyTo() {
        return replyTo;
    }

    public static final class Builder {
        private String id; // a fresh UUID at build() unless set: a SecureRandom draw per message is not free
        private String taskName;
        private List<Object> args = List.of();
        private Map<String, Object> kwargs = Map.of();
        private String queue;
        private ContentType contentType = ContentType.MSGPACK;
        private int priority;
        private String origin = DEFAULT_ORIGIN;
        private String replyTo;
        private String deliveryTag;
        private int retries;
        private boolean ignoreResult;

        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        public Builder taskName(String taskName) {
            this.taskName = taskName;
            return this;
        }

        public Builder args(List<Object> args) {
            this.args = args == null ? List.of() : args;
            return this;
        }

        public Builder kwargs(Map<String, Object> kwargs) {
            this.kwargs = kwargs == null ? Map.of() : kwargs;
            return this;
        }

        public Builder queue(String queue) {
            this.queue = queue;
            return this;
        }

        public Builder contentType(ContentType contentType) {
            this.contentType = Objects.requireNonNull(contentType);
            return this;
        }

        /** Celery message priority 0-9; Sandai keeps 0 and carries priority in the queue name. */
        public Builder priority(int priority) {
            if (priority < 0 || priority > 255) {
                throw new IllegalArgumentException("priority must be 0-255, got " + priority);
            }
            this.priority = priority;
            return this;
        }

        /** {@code gen<pid>@<hostname>}, like Celery. */
        public Builder origin(String origin) {
            this.origin = origin;
            return this;
        }

        /** The sending app's id; Celery uses one UUID per app. */
        public Builder replyTo(String replyTo) {
            this.replyTo = replyTo;
            return this;
        }

        public Builder deliveryTag(String deliveryTag) {
            this.deliveryTag = deliveryTag;
            return this;
        }

        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        public Builder ignoreResult(boolean ignoreResult) {
            this.ignoreResult = ignoreResult;
            return this;
        }

        public TaskMessage build() {
            return new TaskMessage(this);
        }
    }

    /** {@code gen<pid>@<hostname>} of this JVM. */
    public static final String DEFAULT_ORIGIN = "gen" + ProcessHandle.current().pid() + "@" + HostName.get();
}
