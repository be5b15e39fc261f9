package io.camelsandai.bridge.runqy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.camelsandai.codec.PythonJson;
import io.camelsandai.transport.LuaScript;
import redis.clients.jedis.Jedis;

/**
 * Enqueues like the runqy server: the asynq enqueue script (refuse an existing id; HSET msg, state pending,
 * pending_since in nanoseconds; LPUSH pending), then {@code SADD asynq:queues} and runqy's {@code asynq:t:<id>}
 * reverse lookup, with MaxRetry, Timeout and Retention as the server sets them.
 */
public final class AsynqEnqueuer {
    private static final LuaScript ENQUEUE = LuaScript.of("enqueue", """
            if redis.call("EXISTS", KEYS[1]) == 1 then return 0 end
            redis.call("HSET", KEYS[1], "msg", ARGV[1], "state", "pending", "pending_since", ARGV[3])
            redis.call("LPUSH", KEYS[2], ARGV[2])
            return 1
            """);

    private final Jedis jedis;

    public AsynqEnqueuer(Jedis jedis) {
        this.jedis = jedis;
    }

    /** Enqueues a JSON payload with runqy's defaults (MaxRetry 3, timeout 300 s, retention 24 h); returns the id. */
    public String enqueue(String queue, Map<String, Object> data) {
        return enqueue(queue, data, 3, Duration.ofSeconds(300));
    }

    public String enqueue(String queue, Map<String, Object> data, int maxRetry, Duration timeout) {
        String q = AsynqKeys.normalizeQueue(queue);
        String id = UUID.randomUUID().toString();
        AsynqTaskMessage msg = AsynqTaskMessage.of(id, q, PythonJson.encode(data), maxRetry, timeout.getSeconds(),
                Duration.ofHours(24).getSeconds());
        enqueueRaw(q, id, msg.encode());
        return id;
    }

    /** Writes {@code msg} bytes as they are, e.g. bytes that are not a TaskMessage. */
    void enqueueRaw(String queue, String id, byte[] msg) {
        AsynqKeys keys = AsynqKeys.of(queue);
        jedis.sadd(AsynqKeys.ALL_QUEUES, keys.queue());
        Instant now = Instant.now();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        Object r = ENQUEUE.run(jedis, List.of(keys.task(id), keys.pending()), List.of(msg, id, nanos));
        if (!(r instanceof Number n) || n.longValue() != 1) {
            throw new IllegalStateException("task id conflicts: " + id);
        }
        jedis.hset(AsynqKeys.reverseLookup(id), "queue", keys.queue());
    }

    public String field(String queue, String id, String field) {
        byte[] v = jedis.hget(AsynqKeys.of(queue).task(id).getBytes(StandardCharsets.UTF_8),
                field.getBytes(StandardCharsets.UTF_8));
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    AsynqTaskMessage msg(String queue, String id) {
        return AsynqTaskMessage.decode(jedis.hget(AsynqKeys.of(queue).task(id).getBytes(StandardCharsets.UTF_8),
                "msg".getBytes(StandardCharsets.UTF_8)));
    }
}
