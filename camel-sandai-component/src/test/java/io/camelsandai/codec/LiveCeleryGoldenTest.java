package io.camelsandai.codec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.testsupport.SendTask;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden bytes generated now: stock Python Celery {@code send_task} puts a message on a real Redis list (nobody
 * consumes it), and our codec, given the same call, must write the same envelope, byte for byte, for each serializer
 * and for a kombu priority sub-list. Only what Celery draws at random (reply_to, delivery_tag, origin) is taken from
 * the Python message.
 */
class LiveCeleryGoldenTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    static Stream<Arguments> calls() {
        return Stream.of(Arguments.of("msgpack", 0), Arguments.of("json", 0), Arguments.of("msgpack", 6),
                Arguments.of("json", 9));
    }

    private static Map<String, Object> kwargs() {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("deadline", 1795422397.590156);
        meta.put("cancel_key", "job-\u00e9'42\"");
        meta.put("persistent-output", true);
        meta.put("priority", "high");
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("clip_duration", 10);
        options.put("ratio", 0.1);
        options.put("nested", Map.of("list", List.of(1, -2, 3.5e-7, "x y z")));
        options.put("none", null);
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("input_artifacts", List.of(Map.of("uri", "s3://bucket/in put.mp4", "slot", "video")));
        kwargs.put("options", options);
        kwargs.put("meta", meta);
        return kwargs;
    }

    @ParameterizedTest(name = "{0}, priority {1}")
    @MethodSource("calls")
    void ourEnvelopeEqualsStockCelerys(String serializer, int priority) {
        String queue = "high.video-clipper.v1";
        String taskId = "00000000-0000-4000-8000-00000000000" + priority;
        SendTask send = SendTask.to(REDIS, queue).serializer(serializer).taskId(taskId).kwargs(kwargs()).noWait();
        if (priority > 0) {
            send = send.priority(priority);
        }
        PYTHON.sendTask(send);

        String listKey = KombuKeys.priorityList(queue, priority);
        String python;
        try (Jedis jedis = REDIS.newJedis()) {
            python = jedis.lpop(listKey);
        }
        TaskEnvelope theirs = TaskEnvelope.parse(python);

        TaskMessage ours = TaskMessage.builder()
                .id(taskId)
                .taskName("sandai.operator.process")
                .kwargs(theirs.decodeBody().kwargs())
                .queue(queue)
                .contentType(ContentType.fromSerializerName(serializer))
                .priority(priority)
                .origin((String) theirs.headers().get("origin"))
                .replyTo((String) theirs.properties().get("reply_to"))
                .deliveryTag(theirs.deliveryTag())
                .build();
        assertEquals(python, ours.toEnvelope());
        assertEquals(listKey, ours.listKey());
        // and our decoder reads theirs back to the very values that were sent
        assertEquals(kwargs().toString(), normalized(theirs.decodeBody().kwargs()).toString());
    }

    /** Python has one integer type; ours reads integers as Long: compare through text of the same shape. */
    private static Object normalized(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), normalized(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(LiveCeleryGoldenTest::normalized).toList();
        }
        if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        return value;
    }
}
