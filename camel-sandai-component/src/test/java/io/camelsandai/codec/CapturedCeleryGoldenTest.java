package io.camelsandai.codec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden bytes from stock Celery 5.2.6 / kombu 5.2.4 (a Redis MONITOR capture of the scripts in
 * shared/fixtures): rebuilding each captured message with our codec must give the identical bytes, and every
 * captured result must read back and re-encode identically.
 */
class CapturedCeleryGoldenTest {
    private static List<MonitorCapture.Command> capture;

    @BeforeAll
    static void load() throws Exception {
        capture = MonitorCapture.load("/golden/celery-5.2.6-monitor.txt");
    }

    @Test
    void everyCapturedEnvelopeIsRebuiltByteForByte() {
        List<MonitorCapture.Command> pushes = MonitorCapture.named(capture, "LPUSH");
        assertEquals(3, pushes.size(), "the capture holds three sends (msgpack, json, msgpack with priority 6)");
        for (MonitorCapture.Command push : pushes) {
            String listKey = push.arg(1);
            String captured = push.arg(2);
            TaskEnvelope envelope = TaskEnvelope.parse(captured);
            TaskEnvelope.TaskBody body = envelope.decodeBody();

            TaskMessage rebuilt = TaskMessage.builder()
                    .id(envelope.taskId())
                    .taskName(envelope.taskName())
                    .kwargs(body.kwargs())
                    .queue(envelope.routingKey())
                    .contentType(ContentType.fromMimeType(envelope.contentTypeName()))
                    .priority(envelope.priority())
                    .origin((String) envelope.headers().get("origin"))
                    .replyTo((String) envelope.properties().get("reply_to"))
                    .deliveryTag(envelope.deliveryTag())
                    .build();

            assertEquals(captured, rebuilt.toEnvelope(), "envelope of task " + envelope.taskId());
            assertEquals(listKey, rebuilt.listKey(), "list key of task " + envelope.taskId());
        }
    }

    @Test
    void capturedBodiesDecodeToTheSentKwargsWithFloatsKeptAsFloats() {
        TaskEnvelope envelope = TaskEnvelope.parse(MonitorCapture.named(capture, "LPUSH").get(0).arg(2));
        Map<String, Object> kwargs = envelope.decodeBody().kwargs();
        Map<?, ?> meta = (Map<?, ?>) kwargs.get("meta");
        assertEquals(1795422397.590156, meta.get("deadline"));
        assertInstanceOf(Double.class, meta.get("deadline"));
        assertEquals(Boolean.TRUE, meta.get("persistent-output"));
        assertEquals("job-42", meta.get("cancel_key"));
        assertEquals(List.of(Map.of("uri", "s3://b/k.mp4", "slot", "video")), kwargs.get("input_artifacts"));
    }

    @Test
    void capturedResultMetasReadBackAndReEncodeIdentically() {
        List<MonitorCapture.Command> setexes = MonitorCapture.named(capture, "SETEX");
        assertFalse(setexes.isEmpty());
        for (MonitorCapture.Command setex : setexes) {
            byte[] stored = setex.args().get(3);
            ResultMeta meta = ResultMeta.decode(stored);
            assertEquals(setex.arg(1), "celery-task-meta-" + meta.taskId());
            assertEquals(new String(stored, StandardCharsets.UTF_8),
                    new String(meta.encode(ContentType.JSON), StandardCharsets.UTF_8));
        }
    }

    @Test
    void capturedFailureCarriesThePythonRebuildableException() {
        ResultMeta failure = MonitorCapture.named(capture, "SETEX").stream()
                .map(c -> ResultMeta.decode(c.args().get(3)))
                .filter(m -> CeleryState.FAILURE.equals(m.status()))
                .findFirst().orElseThrow();
        Map<?, ?> exc = (Map<?, ?>) failure.result();
        assertEquals("ValueError", exc.get("exc_type"));
        assertEquals("builtins", exc.get("exc_module"));
        assertEquals(List.of("boom"), exc.get("exc_message"));
        assertTrue(failure.traceback().startsWith("Traceback (most recent call last):"));
    }

    @Test
    void bindingMemberMatchesKombu() {
        MonitorCapture.Command sadd = MonitorCapture.named(capture, "SADD").get(0);
        String queue = "high.video-clipper.v1";
        assertEquals(KombuKeys.bindingKey(queue), sadd.arg(1));
        assertEquals(KombuKeys.bindingMember(queue), sadd.arg(2));
    }
}
