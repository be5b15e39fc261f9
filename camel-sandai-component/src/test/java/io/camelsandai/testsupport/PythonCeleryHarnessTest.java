package io.camelsandai.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import redis.clients.jedis.Jedis;

/**
 * Proves the Python peer harness against a real stock Celery worker: every behaviour of
 * {@code sandai_test_worker.py} that other tests rely on, with both serializers, plus the raw
 * envelope a stock client leaves in Redis.
 */
class PythonCeleryHarnessTest {

    private static final String OPERATOR = "harness-op";
    private static final String QUEUE = CeleryWorkerOptions.queue("high", OPERATOR, "v1");

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();

    @RegisterExtension
    static final PythonCelery python = PythonCelery.create();

    static CeleryWorker worker;

    @BeforeAll
    static void startWorker() {
        // One worker for the class (stopped by the extension after it): starting Celery costs ~0.5 s.
        worker = python.startWorker(CeleryWorkerOptions.builder()
                .redis(redis)
                .operator(OPERATOR, "v1")
                .pool(CeleryWorkerOptions.Pool.THREADS)
                .concurrency(2)
                .build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"msgpack", "json"})
    void everyOutcomeOfTheOperatorTask(String serializer) {
        String cancelKey = "job-" + UUID.randomUUID();
        try (Jedis jedis = redis.newJedis()) {
            jedis.set("sandai:cancel:" + cancelKey, "1");
        }
        double deadline = System.currentTimeMillis() / 1000.0 + 600.25;

        SendTaskResult r = python.sendTask(SendTask.to(redis, QUEUE)
                .serializer(serializer)
                .kwargs(Map.of("input_artifacts", List.of(Map.of("uri", "s3://in/a.mp4", "slot", "video")),
                        "options", Map.of("k", "v"), "meta", Map.of("deadline", deadline)))
                .kwargs(Map.of("options", Map.of("fail", Map.of("type", "BadInput", "message", "no video",
                        "retryable", true))))
                .kwargs(Map.of("options", Map.of("raise", "boom")))
                .kwargs(Map.of("options", Map.of("progress", true)))
                .kwargs(Map.of("meta", Map.of("deadline", 1.5)))
                .kwargs(Map.of("meta", Map.of("cancel_key", cancelKey)))
                .kwargs(Map.of("options", Map.of("invalid_status", true)))
                .kwargs(Map.of("options", Map.of("invalid_format", true))));

        JsonNode success = r.line(0);
        assertEquals("SUCCESS", success.path("state").asText(), r.toString());
        assertEquals("success", success.at("/result/status").asText());
        assertEquals("v", success.at("/result/results/echo/k").asText());
        assertEquals("float", success.at("/result/results/types/deadline").asText(), "deadline must stay a float");
        assertEquals(deadline, success.at("/result/results/meta/deadline").asDouble(), 1e-6);
        assertEquals("s3://in/a.mp4.clip-0", success.at("/result/artifacts/0/uri").asText());
        assertEquals("clip", success.at("/result/artifacts/0/slot").asText());

        JsonNode failed = r.line(1);
        assertEquals("SUCCESS", failed.path("state").asText());
        assertEquals("failed", failed.at("/result/status").asText());
        assertEquals("BadInput", failed.at("/result/error/type").asText());
        assertEquals("no video", failed.at("/result/error/message").asText());
        assertTrue(failed.at("/result/error/retryable").asBoolean());

        JsonNode raised = r.line(2);
        assertEquals("FAILURE", raised.path("state").asText(), raised.toString());
        assertEquals("ValueError", raised.path("error_type").asText());
        assertEquals("boom", raised.path("error").asText());

        assertEquals("success", r.line(3).at("/result/status").asText(), "progress ends in success");
        assertEquals("deadline_exceeded", r.line(4).at("/result/status").asText());
        assertEquals("cancelled", r.line(5).at("/result/status").asText());
        assertEquals("weird", r.line(6).at("/result/status").asText());
        assertEquals("this is not a result map", r.line(7).path("result").asText());
        assertTrue(worker.isAlive());
    }

    @Test
    void progressIsPublishedBeforeTheFinalResult() throws Exception {
        String id = UUID.randomUUID().toString();
        String channel = "celery-task-meta-" + id;
        // Listen before sending, so the order of what the worker publishes is seen whatever the machine's load
        // (polling the key can miss a short PROGRESS window on a busy machine).
        List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch subscribed = new java.util.concurrent.CountDownLatch(1);
        redis.clients.jedis.JedisPubSub listener = new redis.clients.jedis.JedisPubSub() {
            @Override
            public void onSubscribe(String ch, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String ch, String message) {
                published.add(message);
                if (message.contains("\"SUCCESS\"")) {
                    unsubscribe();
                }
            }
        };
        Jedis subscriber = redis.newJedis();
        Thread reader = new Thread(() -> subscriber.subscribe(listener, channel), "harness-progress-listener");
        reader.setDaemon(true);
        reader.start();
        try {
            assertTrue(subscribed.await(10, java.util.concurrent.TimeUnit.SECONDS), "subscribed");
            python.sendTask(SendTask.to(redis, QUEUE).taskId(id)
                    .kwargs(Map.of("options", Map.of("progress", true, "sleep", 0.5))).noWait());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> published.stream().anyMatch(m -> m.contains("\"SUCCESS\"")));
            int progress = -1;
            int success = -1;
            for (int i = 0; i < published.size(); i++) {
                String m = published.get(i);
                if (progress < 0 && m.contains("\"PROGRESS\"") && m.contains("\"half\"")) {
                    progress = i;
                }
                if (success < 0 && m.contains("\"SUCCESS\"")) {
                    success = i;
                }
            }
            assertTrue(progress >= 0 && progress < success, "PROGRESS published before SUCCESS: " + published);
        } finally {
            if (listener.isSubscribed()) {
                listener.unsubscribe();
            }
            reader.join(5_000);
            subscriber.close();
        }
    }

    @Test
    void descAnswersTheOperatorDescription() {
        JsonNode desc = python.sendTask(SendTask.to(redis, CeleryWorkerOptions.queue("normal", OPERATOR, "v1"))
                .task("sandai.operator.desc")).line(0);
        assertEquals("SUCCESS", desc.path("state").asText(), desc.toString());
        assertEquals(OPERATOR, desc.at("/result/name").asText());
        assertEquals("v1", desc.at("/result/version").asText());
        assertEquals(2, desc.at("/result/max_concurrency").asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"msgpack", "json"})
    void noWaitLeavesTheStockEnvelopeInRedis(String serializer) throws Exception {
        String queue = CeleryWorkerOptions.queue("normal", "nobody-listens", "v1");
        String id = UUID.randomUUID().toString();
        SendTaskResult sent = python.sendTask(SendTask.to(redis, queue).serializer(serializer).taskId(id)
                .kwargs(Map.of("options", Map.of("n", 1), "meta", Map.of("deadline", 1795422397.590156)))
                .noWait());
        assertEquals(id, sent.line(0).path("id").asText());

        List<String> raw;
        try (Jedis jedis = redis.newJedis()) {
            raw = jedis.lrange(queue, 0, -1);
            assertTrue(jedis.sismember("_kombu.binding." + queue, queue + "\u0006\u0016\u0006\u0016" + queue),
                    "stock clients declare the queue binding");
            jedis.del(queue);
        }
        assertEquals(1, raw.size(), raw.toString());
        JsonNode envelope = ScriptResult.JSON.readTree(raw.get(0));
        assertTrue(envelope.hasNonNull("body"), envelope.toString());
        assertEquals("sandai.operator.process", envelope.at("/headers/task").asText());
        assertEquals(id, envelope.at("/headers/id").asText());
        assertEquals(queue, envelope.at("/properties/delivery_info/routing_key").asText());
        assertEquals("base64", envelope.at("/properties/body_encoding").asText());
        boolean json = serializer.equals("json");
        assertEquals(json ? "application/json" : "application/x-msgpack", envelope.path("content-type").asText());
        assertEquals(json ? "utf-8" : "binary", envelope.path("content-encoding").asText());
        if (json) {
            // [args, kwargs, embed]; the float deadline keeps its fraction.
            JsonNode body = ScriptResult.JSON.readTree(new String(
                    Base64.getDecoder().decode(envelope.path("body").asText()), StandardCharsets.UTF_8));
            assertEquals(3, body.size());
            assertEquals(1795422397.590156, body.at("/1/meta/deadline").asDouble(), 0.0);
            assertTrue(body.at("/1/meta/deadline").isDouble());
        }
    }

    @Test
    void consumesTheFourQueuesInStrictPriorityOrder() throws Exception {
        // Queued before any worker listens, lowest priority first, so only the worker's order matters.
        String op = "order-op";
        List<String> expected = new java.util.ArrayList<>();
        for (String priority : List.of("very_low", "low", "normal", "high")) {
            String id = priority + "-" + UUID.randomUUID();
            expected.add(0, id);
            python.sendTask(SendTask.to(redis, CeleryWorkerOptions.queue(priority, op, "v1")).taskId(id).noWait());
        }
        try (CeleryWorker ordered = python.startWorker(CeleryWorkerOptions.builder()
                .redis(redis).operator(op, "v1").build())) {
            for (String id : expected) {
                ordered.awaitLog(id + "] succeeded", Duration.ofSeconds(10));
            }
            String log = java.nio.file.Files.readString(ordered.stderrLog());
            List<String> actual = expected.stream()
                    .sorted(java.util.Comparator.comparingInt(id -> log.indexOf(id + "] received")))
                    .toList();
            assertEquals(expected, actual, "high, normal, low, very_low\n" + ordered.logTail(20));
        }
    }

    @Test
    void aWorkerThatDiesBeforeReadyFailsFastWithItsLog() {
        long started = System.nanoTime();
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> python.startWorker(CeleryWorkerOptions.builder().broker("").build()));
        assertTrue(e.getMessage().contains("before it was ready"), e.getMessage());
        assertTrue(e.getMessage().contains("SANDAI_TEST_BROKER_URL is required"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(20)) < 0);
    }

    @Test
    void killTakesDownAPreforkWorkerWithItsChildren() {
        CeleryWorker prefork = python.startWorker(CeleryWorkerOptions.builder()
                .redis(redis)
                .queues("prefork-only.q")
                .pool(CeleryWorkerOptions.Pool.PREFORK)
                .concurrency(2)
                .build());
        List<Long> children = prefork.childPids();
        assertEquals(2, children.size(), "prefork pool of 2\n" + prefork.logTail(20));

        prefork.kill();
        assertFalse(prefork.isAlive());
        for (long pid : children) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "child " + pid + " survived");
        }
    }

    /** The Python peer over TLS, with the generated CA: same tasks, rediss:// URLs. */
    @Nested
    class OverTls {

        @RegisterExtension
        static final RedisServerExtension tlsRedis = RedisServerExtension.builder().withTls().build();

        @Test
        void workerAndClientTalkTls() {
            try (CeleryWorker tlsWorker = python.startWorker(CeleryWorkerOptions.builder()
                    .redis(tlsRedis).operator("tls-op", "v1").build())) {
                JsonNode line = python.sendTask(SendTask.to(tlsRedis, CeleryWorkerOptions.queue("low", "tls-op", "v1"))
                        .serializer("json").kwargs(Map.of("options", Map.of("over", "tls")))).line(0);
                assertEquals("success", line.at("/result/status").asText(), line.toString());
                assertEquals("tls", line.at("/result/results/echo/over").asText());
                assertEquals(tlsWorker.hostname(), line.at("/result/results/worker").asText());
            }
        }
    }
}
