package io.camelsandai.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Arguments for {@code send_task.py} (a stock Celery client), run by {@link PythonCelery#sendTask}.
 *
 * <pre>{@code
 * SendTaskResult r = python.sendTask(SendTask.to(redis, "high.video-clipper.v1")
 *         .serializer("json")
 *         .kwargs(Map.of("options", Map.of()))
 *         .kwargs(Map.of("options", Map.of("raise", "boom"))));
 * }</pre>
 * One task is sent per {@code kwargs(...)} call (one task with {@code {}} if none), all before any is
 * awaited.
 */
public final class SendTask {

    private final String broker;
    private String backend;
    private String masterName;
    private String sentinelPassword;
    private final String queue;
    private String task = "sandai.operator.process";
    private String serializer = "msgpack";
    private String resultSerializer = "json";
    private final List<String> kwargs = new ArrayList<>();
    private final List<String> taskIds = new ArrayList<>();
    private int count = 1;
    private Integer priority;
    private Double countdown;
    private Double expires;
    private Duration timeout = Duration.ofSeconds(30);
    private boolean noWait;
    private Path caCerts;

    private SendTask(String broker, String queue) {
        this.broker = Objects.requireNonNull(broker);
        this.queue = Objects.requireNonNull(queue);
    }

    public static SendTask to(String brokerUrl, String queue) {
        return new SendTask(brokerUrl, queue);
    }

    /** Broker and backend on {@code redis.url()} (db 0), with its CA certificate if it is a TLS server. */
    public static SendTask to(RedisServerExtension redis, String queue) {
        SendTask send = new SendTask(redis.url(), queue);
        send.caCerts = redis.tls().map(TlsMaterial::caCertPem).orElse(null);
        return send;
    }

    public SendTask backend(String url) {
        this.backend = url;
        return this;
    }

    /** Task name; default {@code sandai.operator.process}. */
    public SendTask task(String name) {
        this.task = name;
        return this;
    }

    /** {@code msgpack} (default) or {@code json}. */
    public SendTask serializer(String serializer) {
        this.serializer = serializer;
        return this;
    }

    public SendTask resultSerializer(String serializer) {
        this.resultSerializer = serializer;
        return this;
    }

    /** Adds one task with these kwargs (serialized to JSON with Jackson). */
    public SendTask kwargs(Map<String, ?> kwargs) {
        try {
            this.kwargs.add(ScriptResult.JSON.writeValueAsString(kwargs));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    /** Adds one task with kwargs given as a JSON object text. */
    public SendTask kwargsJson(String json) {
        this.kwargs.add(json);
        return this;
    }

    /** Task id of the next task (in order of the kwargs); unnamed tasks get a fresh uuid4. */
    public SendTask taskId(String id) {
        this.taskIds.add(id);
        return this;
    }

    /** Send every kwargs this many times. */
    public SendTask count(int count) {
        this.count = count;
        return this;
    }

    /** Celery message priority (0-9); kombu puts p &gt; 0 on {@code <queue>\x06\x16<step>}. */
    public SendTask priority(int priority) {
        this.priority = priority;
        return this;
    }

    /** {@code send_task(countdown=seconds)}: Celery sends it as the {@code eta} header (now + seconds). */
    public SendTask countdown(double seconds) {
        this.countdown = seconds;
        return this;
    }

    /**
     * {@code send_task(expires=seconds)}: Celery sends it as the {@code expires} header (now + seconds); negative
     * sends an already expired task.
     */
    public SendTask expires(double seconds) {
        this.expires = seconds;
        return this;
    }

    /** How long {@code AsyncResult.get()} waits for each task; default 30 s. */
    public SendTask timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Only send: the messages stay in Redis for the test to inspect or consume. */
    public SendTask noWait() {
        this.noWait = true;
        return this;
    }

    /** Redis Sentinel: kombu's {@code master_name} transport option, for broker and backend. */
    public SendTask masterName(String name) {
        this.masterName = name;
        return this;
    }

    /** Redis Sentinel: the sentinels' own password ({@code sentinel_kwargs}). */
    public SendTask sentinelPassword(String password) {
        this.sentinelPassword = password;
        return this;
    }

    public SendTask caCerts(Path caPem) {
        this.caCerts = caPem;
        return this;
    }

    Duration timeout() {
        return timeout;
    }

    /** Number of result lines the script prints when all goes well. */
    int expectedLines() {
        return Math.max(kwargs.size(), 1) * Math.max(count, 1);
    }

    List<String> args() {
        List<String> args = new ArrayList<>(List.of("--broker", broker, "--queue", queue, "--task", task,
                "--serializer", serializer, "--result-serializer", resultSerializer,
                "--count", String.valueOf(count), "--timeout", String.valueOf(timeout.toMillis() / 1000.0)));
        if (backend != null) {
            args.addAll(List.of("--backend", backend));
        }
        kwargs.forEach(k -> args.addAll(List.of("--kwargs", k)));
        taskIds.forEach(id -> args.addAll(List.of("--task-id", id)));
        if (priority != null) {
            args.addAll(List.of("--priority", String.valueOf(priority)));
        }
        if (countdown != null) {
            args.addAll(List.of("--countdown", String.valueOf(countdown)));
        }
        if (expires != null) {
            args.addAll(List.of("--expires", String.valueOf(expires)));
        }
        if (noWait) {
            args.add("--no-wait");
        }
        if (caCerts != null) {
            args.addAll(List.of("--ssl-ca-certs", caCerts.toString()));
        }
        if (masterName != null) {
            args.addAll(List.of("--master-name", masterName));
        }
        if (sentinelPassword != null) {
            args.addAll(List.of("--sentinel-password", sentinelPassword));
        }
        return args;
    }
}
