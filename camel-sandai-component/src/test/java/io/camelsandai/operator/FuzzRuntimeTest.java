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
import io.camelsandai.codec.TaskEnvelope;
import io.camelsandai.codec.TaskMessage;
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

    private byte[] mutant(Random rnd) {
        Map<String, Object> kwargs = new HashMap<>();
        kwargs.put("options", Map.of("x", rnd.nextInt()));
        TaskMessage m = fx.message(Priority.values()[rnd.nextInt(4)], kwargs)
                .contentType(rnd.nextBoolean() ? ContentType.JSON : ContentType.MSGPACK)
                .deliveryTag(UUID.randomUUID().toString()).build();
        String env = m.toEnvelope();
        switch (rnd.nextInt(14)) {
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

    private static String taskIdOf(byte[] raw) {
        try {
            return TaskEnvelope.parse(new String(raw, StandardCharsets.UTF_8)).taskId();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Test
    void survivesTenThousandMalformedMessages() {
        Random rnd = new Random(42);
        List<byte[]> messages = new ArrayList<>();
        Pipeline p = fx.jedis.pipelined();
        for (int i = 0; i < MESSAGES; i++) {
            byte[] m = mutant(rnd);
            messages.add(m);
            p.lpush(RuntimeFixture.queue(Priority.values()[i % 4]).getBytes(StandardCharsets.UTF_8), m);
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

        // every message: dead-lettered (its bytes are in a record) or answered (its task id has a final result)
        Map<String, Integer> deadLettered = new HashMap<>();
        for (String record : fx.jedis.lrange("sandai.dead-letter", 0, -1)) {
            Map<?, ?> rec = (Map<?, ?>) PythonJson.decode(record);
            String key = rec.get("message") != null ? (String) rec.get("message")
                    : "b64:" + rec.get("message_base64");
            deadLettered.merge(key, 1, Integer::sum);
        }
        int answeredOnly = 0;
        for (byte[] m : messages) {
            String text = new String(m, StandardCharsets.UTF_8);
            String b64 = "b64:" + Base64.getEncoder().encodeToString(m);
            if (deadLettered.merge(text, -1, Integer::sum) >= 0 || deadLettered.merge(b64, -1, Integer::sum) >= 0) {
                continue;
            }
            String id = taskIdOf(m);
            assertTrue(id != null && fx.result(id) != null && fx.result(id).isFinal(),
                    "message neither dead-lettered nor answered: " + text.substring(0, Math.min(200, text.length())));
            answeredOnly++;
        }
        assertTrue(answeredOnly > 0 && deadLettered.size() > 0);

        String ok = fx.send(Priority.NORMAL, Map.of("options", Map.of()));
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(ok, Duration.ofSeconds(10)).status());
    }
}
