package io.camelsandai.operator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import io.camelsandai.client.OperatorSettings;
import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.codec.TaskMessage;
import io.camelsandai.model.Priority;
import io.camelsandai.testsupport.RedisServerExtension;
import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;

/** Sends tasks the way a Celery client does and reads their results, against one test Redis. */
final class RuntimeFixture implements AutoCloseable {
    static final String OPERATOR = "video-clipper";
    static final String VERSION = "v1";

    final RedisServerExtension redis;
    final Jedis jedis;
    private final List<OperatorRuntime> runtimes = new ArrayList<>();

    RuntimeFixture(RedisServerExtension redis) {
        this.redis = redis;
        this.jedis = redis.newJedis();
        jedis.flushAll();
    }

    static String queue(Priority p) {
        return p.queueFor(OPERATOR, VERSION);
    }

    OperatorRuntimeSettings.Builder settings() {
        return OperatorRuntimeSettings.builder(OPERATOR, VERSION)
                .connection(OperatorSettings.builder().brokerUrl(redis.url()).environment(k -> null).build())
                .shutdownTimeout(Duration.ofSeconds(5));
    }

    OperatorRuntime start(UnaryOperator<OperatorRuntimeSettings.Builder> tune, OperatorHandler handler) {
        OperatorRuntime runtime = new OperatorRuntime(tune.apply(settings()).build(), handler);
        runtimes.add(runtime);
        runtime.start();
        return runtime;
    }

    TaskMessage.Builder message(Priority p, Map<String, Object> kwargs) {
        return TaskMessage.builder().taskName(OperatorSettings.DEFAULT_TASK_NAME).queue(queue(p)).kwargs(kwargs)
                .deliveryTag(UUID.randomUUID().toString());
    }

    /** LPUSH as a Celery client does; returns the task id. */
    String send(TaskMessage m) {
        jedis.lpush(m.listKey(), m.toEnvelope());
        return m.id();
    }

    String send(Priority p, Map<String, Object> kwargs) {
        return send(message(p, kwargs).build());
    }

    String send(Priority p, Map<String, Object> kwargs, ContentType type) {
        return send(message(p, kwargs).contentType(type).build());
    }

    void pushRaw(String list, String raw) {
        jedis.lpush(list, raw);
    }

    ResultMeta result(String taskId) {
        byte[] raw = jedis.get(("celery-task-meta-" + taskId).getBytes(StandardCharsets.UTF_8));
        return raw == null ? null : ResultMeta.decode(raw);
    }

    ResultMeta awaitFinal(String taskId, Duration within) {
        return await().atMost(within).pollInterval(Duration.ofMillis(20))
                .until(() -> result(taskId), m -> m != null && m.isFinal());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> resultMap(ResultMeta meta) {
        return (Map<String, Object>) meta.result();
    }

    @Override
    public void close() {
        runtimes.forEach(OperatorRuntime::close);
        jedis.close();
    }
}
