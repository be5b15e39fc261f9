package io.camelsandai.operator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.KombuKeys;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.codec.TaskEnvelope;
import io.camelsandai.codec.TaskMessage;
import io.camelsandai.codec.Utf8Text;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.testsupport.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 random and mutated envelopes: the runtime stays alive, every message is answered or dead-lettered (none
 * stays in flight or vanishes), and a valid task afterwards succeeds.
 */
class FuzzRuntimeTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();

    static final int MESSAGES = 10_000;

    private RuntimeFixture fx;

    @BeforeEach
    void setUp() {
        fx = new RuntimeFixture(redis);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    /** One generated message: the mutation applied ({@code kind}, see {@link #mutant}) and its bytes. */
    private record Mutant(int kind, byte[] raw) {
    }

    private static final int FLIPPED = 0;
    private static final int TRUNCATED = 1;
    private static final int WRONG_KWARGS = 5;
    private static final int UNKNOWN_CONTENT_TYPE = 6;
    private static final int VALID = 13;

    private Mutant mutant(Random rnd) {
        int kind = rnd.nextInt(14);
        return new Mutant(kind, mutate(kind, rnd));
    }

    private byte[] mutate(int kind, Random rnd) {
        Map<String, Object> kwargs = new HashMap<>();
        kwargs.put("options", Map.of("x", rnd.nextInt()));
        TaskMessage m = fx.message(Priority.values()[rnd.nextInt(4)], kwargs)
                .contentType(rnd.nextBoolean() ? ContentType.JSON : ContentType.MSGPACK)
                .deliveryTag(UUID.randomUUID().toString()).build();
        String env = m.toEnvelope();
        switch (kind) {
            case 0: // flip random bytes
                byte[] b = env.getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 1 + rnd.nextInt(5); i++) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
                return b;
            case 1: // truncated
                return env.substring(0, rnd.nextInt(env.length())).getBytes(StandardCharsets.UTF_8);
            case 2: // body is not base64
                return env.replaceFirst("\"body\": \"[^\"]*\"", "\"body\": \"***not base64***\"").getBytes(StandardCharsets.UTF_8);
            case 3: // body decodes to random bytes
                byte[] junk = new byte[rnd.nextInt(64)];
                rnd.nextBytes(junk);
                return env.replaceFirst("\"body\": \"[^\"]*\"", "\"body\": \"" + Base64.getEncoder().encodeToString(junk)
                                                                + "\"").getBytes(StandardCharsets.UTF_8);
            case 4: // body is not [args, kwargs, embed]
                return env.replaceFirst("\"body\": \"[^\"]*\"", "\"body\": \"" + Base64.getEncoder().encodeToString(
                        "{\"a\": 1}".getBytes(StandardCharsets.UTF_8)) + "\"")
                        .replace("application/x-msgpack", "application/json").getBytes(StandardCharsets.UTF_8);
            case 5: // kwargs of the wrong types
                return fx.message(Priority.NORMAL, Map.of("input_artifacts", Map.of("no", "list"), "meta", "x"))
                        .build().toEnvelope().getBytes(StandardCharsets.UTF_8);
            case 6: // unknown content type
                return env.replace("application/x-msgpack", "application/x-yaml")
                        .replace("application/json", "application/x-python-serialize").getBytes(StandardCharsets.UTF_8);
            case 7: // no delivery tag
                return env.replaceFirst("\"delivery_tag\": \"[^\"]*\"", "\"delivery_tag\": 42").getBytes(StandardCharsets.UTF_8);
            case 8: // valid JSON, not an envelope
                return PythonJson.encode(List.of(rnd.nextInt(), "x", Map.of("headers", 1)));
            case 9: // deeply nested
                return ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
            case 10: // not UTF-8
                byte[] raw = new byte[1 + rnd.nextInt(100)];
                rnd.nextBytes(raw);
                return raw;
            case 11: // no task id
                return env.replaceAll("\"id\": \"[^\"]*\", ", "").replaceAll("\"correlation_id\": \"[^\"]*\", ", "")
                        .getBytes(StandardCharsets.UTF_8);
            case 12: // empty
                return new byte[0];
            default: // untouched: a valid task
                return env.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The task id as anyone can read it: only from valid UTF-8 (kombu cannot read the envelope otherwise). */
    private static String taskIdOf(byte[] raw) {
        String text = Utf8Text.strict(raw);
        if (text == null) {
            return null;
        }
        try {
            return TaskEnvelope.parse(text).taskId();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Test
    void survivesTenThousandMalformedMessages() {
        Random rnd = new Random(42);
        List<Mutant> messages = new ArrayList<>();
        Pipeline p = fx.jedis.pipelined();
        for (int i = 0; i < MESSAGES; i++) {
            Mutant m = mutant(rnd);
            messages.add(m);
            p.lpush(RuntimeFixture.queue(Priority.values()[i % 4]).getBytes(StandardCharsets.UTF_8), m.raw());
        }
        p.sync();
        OperatorRuntime r = fx.start(b -> b.concurrency(4), task -> CompletableFuture.completedFuture(
                OperatorResult.success(List.of(), Map.of())));
        List<String> lists = new ArrayList<>();
        for (Priority pr : Priority.values()) {
            lists.addAll(KombuKeys.pollOrder(RuntimeFixture.queue(pr)));
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                lists.stream().mapToLong(fx.jedis::llen).sum() == 0 && r.inFlight() == 0);
        assertTrue(r.isLoopAlive());
        assertEquals(0L, fx.jedis.hlen(KombuKeys.UNACKED));
        assertEquals(0L, fx.jedis.zcard(KombuKeys.UNACKED_INDEX));
        assertEquals(0L, fx.jedis.hlen("sandai.dead-letter.unacked"));

        // the dead-letter records, by queue and the message they carry (identical messages, e.g. two empty ones
        // in one queue, add up)
        Map<String, List<Map<?, ?>>> records = new HashMap<>();
        for (String record : fx.jedis.lrange("sandai.dead-letter", 0, -1)) {
            Map<?, ?> rec = (Map<?, ?>) PythonJson.decode(record);
            String message = rec.get("message") != null ? (String) rec.get("message")
                    : "b64:" + rec.get("message_base64");
            records.computeIfAbsent(rec.get("queue") + "\n" + message, k -> new ArrayList<>()).add(rec);
        }
        int deadLettered = 0;
        int refusedWithResult = 0;
        int answered = 0;
        for (int i = 0; i < messages.size(); i++) {
            Mutant m = messages.get(i);
            String text = new String(m.raw(), StandardCharsets.UTF_8);
            String shown = "message " + i + " (kind " + m.kind() + "): " + text.substring(0, Math.min(200, text.length()));
            String queue = RuntimeFixture.queue(Priority.values()[i % 4]);
            Map<?, ?> record = takeRecord(records, queue, text, m.raw());
            String id = taskIdOf(m.raw());
            ResultMeta meta = id == null ? null : fx.result(id);
            if (record != null) {
                deadLettered++;
                assertTrue(record.get("reason") instanceof String reason && !reason.isBlank(), shown);
                if (id != null) {
                    // the README: a refused message whose task id can be read ends in an error result
                    assertRefusalResult(meta, shown);
                    refusedWithResult++;
                }
            } else {
                assertTrue(meta != null && meta.isFinal(), "neither dead-lettered nor answered: " + shown);
                answered++;
            }
            assertExpectedOutcome(m.kind(), record != null, meta, shown);
        }
        records.forEach((message, left) -> assertTrue(left.isEmpty(),
                left.size() + " dead-letter record(s) match no message sent: " + message));
        assertTrue(answered > 0, "some messages were answered");
        assertTrue(deadLettered > 0, "some messages were dead-lettered");
        assertTrue(refusedWithResult > 0, "some refused messages had a readable task id");

        String ok = fx.send(Priority.NORMAL, Map.of("options", Map.of()));
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(ok, Duration.ofSeconds(10)).status());
    }

    /** Removes and returns the dead-letter record of {@code raw} from {@code queue}, or null when none is left. */
    private static Map<?, ?> takeRecord(Map<String, List<Map<?, ?>>> records, String queue, String text, byte[] raw) {
        for (String message : List.of(text, "b64:" + Base64.getEncoder().encodeToString(raw))) {
            List<Map<?, ?>> left = records.get(queue + "\n" + message);
            if (left != null && !left.isEmpty()) {
                return left.remove(left.size() - 1);
            }
        }
        return null;
    }

    /**
     * An error result: Celery's FAILURE with a Python exception (type, module, message), or the operator
     * contract's {@code failed} status with a typed error (invalid requests, oversize messages).
     */
    private static void assertRefusalResult(ResultMeta meta, String shown) {
        assertNotNull(meta, "no result for a refused message with a task id: " + shown);
        Map<?, ?> result = (Map<?, ?>) meta.result();
        if (CeleryState.FAILURE.equals(meta.status())) {
            assertTrue(result.get("exc_type") instanceof String t && !t.isBlank(), shown + " -> " + result);
            assertTrue(result.get("exc_module") instanceof String mod && !mod.isBlank(), shown + " -> " + result);
            assertTrue(result.get("exc_message") instanceof List<?> msg && !msg.isEmpty(), shown + " -> " + result);
        } else {
            assertEquals(CeleryState.SUCCESS, meta.status(), shown);
            assertEquals("failed", result.get("status"), shown + " -> " + result);
            Map<?, ?> error = (Map<?, ?>) result.get("error");
            assertTrue(error.get("type") instanceof String t && !t.isBlank(), shown + " -> " + result);
            assertTrue(error.get("message") instanceof String msg && !msg.isBlank(), shown + " -> " + result);
        }
    }

    /** What each mutation must end in; random byte flips and truncations may end either way. */
    private static void assertExpectedOutcome(int kind, boolean deadLettered, ResultMeta meta, String shown) {
        switch (kind) {
            case FLIPPED, TRUNCATED -> {
                // either, as checked above
            }
            case 2, 3, 4, 7 -> { // readable envelope, unusable body or delivery tag: kombu's DecodeError
                assertTrue(deadLettered, shown);
                assertEquals(CeleryState.FAILURE, meta.status(), shown);
                assertEquals("DecodeError", ((Map<?, ?>) meta.result()).get("exc_type"), shown);
                assertEquals("kombu.exceptions", ((Map<?, ?>) meta.result()).get("exc_module"), shown);
            }
            case WRONG_KWARGS -> {
                assertTrue(deadLettered, shown);
                assertEquals(CeleryState.SUCCESS, meta.status(), shown);
                assertEquals("InvalidRequest", ((Map<?, ?>) ((Map<?, ?>) meta.result()).get("error")).get("type"),
                        shown);
            }
            case UNKNOWN_CONTENT_TYPE -> { // refused unread and answered, as a Celery worker does; not dead-lettered
                assertFalse(deadLettered, shown);
                assertEquals(CeleryState.FAILURE, meta.status(), shown);
                assertEquals("ContentDisallowed", ((Map<?, ?>) meta.result()).get("exc_type"), shown);
            }
            case VALID -> {
                assertFalse(deadLettered, shown);
                assertEquals(CeleryState.SUCCESS, meta.status(), shown);
                assertEquals("success", ((Map<?, ?>) meta.result()).get("status"), shown);
            }
            default -> { // no envelope or no task id: dead-lettered, nothing to answer
                assertTrue(deadLettered, shown);
                assertNull(meta, shown);
            }
        }
    }
}
