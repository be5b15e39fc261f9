package io.camelsandai.operator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.KombuKeys;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.testsupport.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.camelsandai.operator.RuntimeFixture.resultMap;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Java producer → Java runtime on a real Redis: every outcome, ordering, limits, restore, shutdown. */
class OperatorRuntimeTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.builder().withAppendOnly().build();

    private RuntimeFixture fx;

    @BeforeEach
    void setUp() {
        fx = new RuntimeFixture(redis);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    static OperatorHandler echo() {
        return task -> CompletableFuture.completedFuture(OperatorResult.success(
                List.of(Artifact.of("s3://out/" + task.taskId(), "clip")),
                Map.of("options", task.request().options(), "retries", task.retries())));
    }

    private static Map<String, Object> kwargs(Map<String, Object> options) {
        return Map.of("input_artifacts", List.of(Map.of("uri", "s3://b/k.mp4", "slot", "video")), "options", options);
    }

    @Test
    void runsATaskAndAcksItInBothSerializers() {
        fx.start(b -> b, echo());
        for (ContentType type : ContentType.values()) {
            String id = fx.send(Priority.NORMAL, kwargs(Map.of("n", 1)), type);
            ResultMeta meta = fx.awaitFinal(id, Duration.ofSeconds(10));
            assertEquals(CeleryState.SUCCESS, meta.status());
            assertEquals("success", resultMap(meta).get("status"));
            assertEquals(Map.of("n", 1L), ((Map<?, ?>) resultMap(meta).get("results")).get("options"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.jedis.hlen(KombuKeys.UNACKED) == 0
                                                          && fx.jedis.zcard(KombuKeys.UNACKED_INDEX) == 0);
    }

    @Test
    void drainsInStrictPriorityOrderIncludingKombuSubLists() {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        String low = fx.send(Priority.LOW, kwargs(Map.of("name", "low")));
        String normalSub = fx.send(fx.message(Priority.NORMAL, kwargs(Map.of("name", "normal-6"))).priority(6).build());
        String normal = fx.send(Priority.NORMAL, kwargs(Map.of("name", "normal")));
        String veryLow = fx.send(Priority.VERY_LOW, kwargs(Map.of("name", "very_low")));
        String high = fx.send(Priority.HIGH, kwargs(Map.of("name", "high")));
        fx.start(b -> b.concurrency(1), task -> {
            order.add(task.taskId());
            return echo().handle(task);
        });
        for (String id : List.of(low, normalSub, normal, veryLow, high)) {
            fx.awaitFinal(id, Duration.ofSeconds(10));
        }
        assertEquals(List.of(high, normal, normalSub, low, veryLow), order);
    }

    @Test
    void neverRunsMoreThanConcurrencyAndLeavesTheRestToAnotherWorker() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        OperatorHandler blocking = task -> CompletableFuture.supplyAsync(() -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return OperatorResult.success(List.of(), Map.of());
        });
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(fx.send(Priority.NORMAL, kwargs(Map.of("i", i))));
        }
        OperatorRuntime a = fx.start(b -> b.concurrency(2), blocking);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.inFlight() == 2);
        OperatorRuntime b = fx.start(s -> s.concurrency(3), blocking);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.inFlight() == 3);
        // 6 tasks: 2 + 3 taken, one left waiting; nobody took more than it can start
        assertEquals(1L, fx.jedis.llen(RuntimeFixture.queue(Priority.NORMAL)));
        assertEquals(5L, fx.jedis.hlen(KombuKeys.UNACKED));
        assertEquals(2, a.inFlight());
        release.countDown();
        for (String id : ids) {
            assertEquals(CeleryState.SUCCESS, fx.awaitFinal(id, Duration.ofSeconds(10)).status());
        }
        assertTrue(maxRunning.get() <= 5, "at most 2 + 3 at once");
    }

    @Test
    void deadlineAndCancelAreCheckedBeforeTheHandlerRuns() {
        AtomicInteger ran = new AtomicInteger();
        fx.jedis.set("sandai:cancel:job-1", "1");
        String late = fx.send(Priority.HIGH, Map.of("options", Map.of(),
                "meta", Map.of("deadline", System.currentTimeMillis() / 1000.0 - 5)));
        String cancelled = fx.send(Priority.HIGH, Map.of("options", Map.of(), "meta", Map.of("cancel_key", "job-1")));
        String fine = fx.send(Priority.HIGH, Map.of("options", Map.of(), "meta", Map.of("cancel_key", "job-2",
                "deadline", System.currentTimeMillis() / 1000.0 + 60)));
        fx.start(b -> b, task -> {
            ran.incrementAndGet();
            return echo().handle(task);
        });
        assertEquals("deadline_exceeded", resultMap(fx.awaitFinal(late, Duration.ofSeconds(10))).get("status"));
        assertEquals("cancelled", resultMap(fx.awaitFinal(cancelled, Duration.ofSeconds(10))).get("status"));
        assertEquals("success", resultMap(fx.awaitFinal(fine, Duration.ofSeconds(10))).get("status"));
        assertEquals(1, ran.get());
    }

    @Test
    void cancelSetWhileWaitingIsSeenRightBeforeTheHandler() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        String first = fx.send(Priority.HIGH, kwargs(Map.of()));
        String second = fx.send(Priority.HIGH, Map.of("options", Map.of(), "meta", Map.of("cancel_key", "job-9")));
        // prefetch 2, concurrency 1: the second is taken (take-time check passes) and waits for the only slot
        fx.start(b -> b.concurrency(1).prefetch(2), task -> {
            ran.incrementAndGet();
            if (task.taskId().equals(first)) {
                firstStarted.countDown();
                try {
                    releaseFirst.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return echo().handle(task);
        });
        assertTrue(firstStarted.await(10, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.jedis.llen(RuntimeFixture.queue(Priority.HIGH)) == 0);
        fx.jedis.set("sandai:cancel:job-9", "1");
        releaseFirst.countDown();
        assertEquals("cancelled", resultMap(fx.awaitFinal(second, Duration.ofSeconds(10))).get("status"));
        assertEquals(1, ran.get());
    }

    @Test
    void refusesPickleWithoutDeserializingIt() {
        // a pickle body that would run code if ever unpickled; it must stay bytes
        String envelope = fx.message(Priority.NORMAL, kwargs(Map.of())).build().toEnvelope()
                .replace("application/x-msgpack", "application/x-python-serialize");
        String id = (String) ((Map<?, ?>) ((Map<?, ?>) PythonJson.decode(envelope)).get("headers")).get("id");
        fx.pushRaw(RuntimeFixture.queue(Priority.NORMAL), envelope);
        AtomicInteger ran = new AtomicInteger();
        fx.start(b -> b, task -> {
            ran.incrementAndGet();
            return echo().handle(task);
        });
        ResultMeta meta = fx.awaitFinal(id, Duration.ofSeconds(10));
        assertEquals(CeleryState.FAILURE, meta.status());
        assertEquals("ContentDisallowed", resultMap(meta).get("exc_type"));
        assertEquals("kombu.exceptions", resultMap(meta).get("exc_module"));
        assertEquals(0, ran.get());
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.jedis.hlen(KombuKeys.UNACKED) == 0);
    }

    @Test
    void unknownTaskNameIsNotRegistered() {
        String id = fx.send(fx.message(Priority.NORMAL, kwargs(Map.of())).taskName("some.other.task").build());
        fx.start(b -> b, echo());
        ResultMeta meta = fx.awaitFinal(id, Duration.ofSeconds(10));
        assertEquals(CeleryState.FAILURE, meta.status());
        assertEquals(Map.of("exc_type", "NotRegistered", "exc_message", List.of("some.other.task"),
                "exc_module", "celery.exceptions"), resultMap(meta));
    }

    @Test
    void answersDescWithoutRunningTheHandler() {
        AtomicInteger ran = new AtomicInteger();
        String id = fx.send(fx.message(Priority.NORMAL, Map.of()).taskName("sandai.operator.desc").build());
        fx.start(b -> b.concurrency(4).describe("description", "clips videos")
                .describe("input_slots", List.of("video")).describe("output_slots", List.of("clip")), task -> {
                    ran.incrementAndGet();
                    return echo().handle(task);
                });
        Map<String, Object> desc = resultMap(fx.awaitFinal(id, Duration.ofSeconds(10)));
        assertEquals("success", desc.get("status"));
        assertEquals("video-clipper", desc.get("name"));
        assertEquals("v1", desc.get("version"));
        assertEquals("clips videos", desc.get("description"));
        assertEquals(List.of("video"), desc.get("input_slots"));
        assertEquals(List.of("clip"), desc.get("output_slots"));
        assertEquals(Map.of(), desc.get("options_schema"));
        assertEquals(4L, desc.get("max_concurrency"));
        assertEquals(0, ran.get());
    }

    @Test
    void publishesProgressThenSuccessAndNeverOverwritesAFinalState() throws Exception {
        CountDownLatch progressed = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        String id = fx.send(Priority.NORMAL, kwargs(Map.of()));
        OperatorTask[] seen = new OperatorTask[1];
        fx.start(b -> b, task -> CompletableFuture.supplyAsync(() -> {
            seen[0] = task;
            task.progress(50, "half");
            progressed.countDown();
            try {
                finish.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return OperatorResult.success(List.of(), Map.of("n", 1));
        }));
        assertTrue(progressed.await(10, TimeUnit.SECONDS));
        ResultMeta progress = await().atMost(Duration.ofSeconds(5)).until(() -> fx.result(id), m -> m != null);
        assertEquals(CeleryState.PROGRESS, progress.status());
        assertEquals(Map.of("progress", 50L, "message", "half"), progress.result());
        assertNull(progress.dateDone());
        finish.countDown();
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(id, Duration.ofSeconds(10)).status());
        seen[0].progress(99, "too late");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> CeleryState.SUCCESS.equals(fx.result(id).status()));
    }

    @Test
    void handlerFailuresBecomeFailedResults() {
        String typed = fx.send(Priority.NORMAL, kwargs(Map.of("fail", "typed")));
        String plain = fx.send(Priority.NORMAL, kwargs(Map.of("fail", "plain")));
        fx.start(b -> b, task -> {
            if ("typed".equals(task.request().options().get("fail"))) {
                throw new OperatorFailure("ArtifactNotFound", "no such input", true);
            }
            return CompletableFuture.failedFuture(new IllegalStateException("bad state"));
        });
        Map<String, Object> t = resultMap(fx.awaitFinal(typed, Duration.ofSeconds(10)));
        assertEquals("failed", t.get("status"));
        assertEquals(Map.of("type", "ArtifactNotFound", "message", "no such input", "retryable", true), t.get("error"));
        Map<String, Object> p = resultMap(fx.awaitFinal(plain, Duration.ofSeconds(10)));
        assertEquals(Map.of("type", "IllegalStateException", "message", "bad state", "retryable", false),
                p.get("error"));
    }

    @Test
    void wrongKwargTypesGiveInvalidRequestAndADeadLetter() {
        String id = fx.send(Priority.NORMAL, Map.of("input_artifacts", "not a list"));
        fx.start(b -> b, echo());
        Map<String, Object> r = resultMap(fx.awaitFinal(id, Duration.ofSeconds(10)));
        assertEquals("failed", r.get("status"));
        assertEquals("InvalidRequest", ((Map<?, ?>) r.get("error")).get("type"));
        assertEquals(false, ((Map<?, ?>) r.get("error")).get("retryable"));
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.jedis.llen("sandai.dead-letter") == 1);
        Map<?, ?> dead = (Map<?, ?>) PythonJson.decode(fx.jedis.lindex("sandai.dead-letter", 0));
        assertEquals(List.of("reason", "queue", "received_at", "message"), List.copyOf(dead.keySet()));
        assertEquals(RuntimeFixture.queue(Priority.NORMAL), dead.get("queue"));
    }

    @Test
    void aMessageFarOverTheSizeLimitStillGetsAFailedResultItsCallerCanRead() {
        // over 4x maxMessageBytes the envelope is not parsed; the task id is found by a scan
        String id = fx.send(Priority.NORMAL, Map.of("options", Map.of("pad", "x".repeat(40_000))));
        fx.start(b -> b.maxMessageBytes(4096), echo());
        Map<String, Object> r = resultMap(fx.awaitFinal(id, Duration.ofSeconds(10)));
        assertEquals("failed", r.get("status"));
        assertEquals("MessageTooLarge", ((Map<?, ?>) r.get("error")).get("type"));
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.jedis.llen("sandai.dead-letter") == 1);
    }

    @Test
    void anOversizeMessageIsRefusedWithoutItsBodyReachingTheJvm() {
        int limit = 4096;
        List<String> ids = new ArrayList<>();
        List<String> envelopes = new ArrayList<>();
        for (int times : new int[]{4, 100}) {
            var m = fx.message(Priority.NORMAL, Map.of("options", Map.of("pad", "x".repeat(times * limit)))).build();
            ids.add(fx.send(m));
            envelopes.add(m.toEnvelope());
        }
        OperatorRuntime runtime = fx.start(b -> b.maxMessageBytes(limit), echo());
        for (int i = 0; i < 2; i++) {
            Map<String, Object> r = resultMap(fx.awaitFinal(ids.get(i), Duration.ofSeconds(10)));
            assertEquals("failed", r.get("status"));
            assertEquals(Map.of("type", "MessageTooLarge", "message", "message of " + envelopes.get(i).length()
                    + " bytes exceeds maxMessageBytes " + limit, "retryable", false), r.get("error"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.jedis.llen("sandai.dead-letter") == 2);
        for (int i = 0; i < 2; i++) {
            Map<?, ?> dead = (Map<?, ?>) PythonJson.decode(fx.jedis.lindex("sandai.dead-letter", 1 - i));
            assertEquals(envelopes.get(i), dead.get("message"), "the dead letter holds the whole message");
            assertTrue(String.valueOf(dead.get("reason")).contains("exceeds maxMessageBytes"), dead.toString());
        }
        long total = envelopes.get(0).length() + envelopes.get(1).length();
        long taken = runtime.bytesTaken();
        assertTrue(taken < 256, "the JVM received " + taken + " bytes for two oversize messages of " + total);

        // the worker goes on
        String next = fx.send(Priority.NORMAL, kwargs(Map.of()));
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(next, Duration.ofSeconds(10)).status());
        assertEquals(0L, fx.jedis.hlen(KombuKeys.UNACKED));
    }

    @Test
    void brokenInvariantIsAPythonRebuildableFailureWithTraceback() {
        String id = fx.send(Priority.NORMAL, kwargs(Map.of()));
        // a result the runtime cannot encode: a broken invariant outside the handler's contract
        fx.start(b -> b, task -> CompletableFuture.completedFuture(
                OperatorResult.success(List.of(), Map.of("bad", new Object[]{new Object() {
                    @Override
                    public String toString() {
                        throw new UnsupportedOperationException("cannot encode");
                    }
                }}))));
        ResultMeta meta = fx.awaitFinal(id, Duration.ofSeconds(10));
        assertEquals(CeleryState.FAILURE, meta.status());
        assertEquals("RuntimeError", resultMap(meta).get("exc_type"));
        assertEquals("builtins", resultMap(meta).get("exc_module"));
        List<?> message = (List<?>) resultMap(meta).get("exc_message");
        assertTrue(((String) message.get(0)).startsWith("java.lang.UnsupportedOperationException: cannot encode"));
        assertTrue(meta.traceback().startsWith("Traceback (most recent call last):\n  File \""), meta.traceback());
        assertTrue(meta.traceback().endsWith("RuntimeError: java.lang.UnsupportedOperationException: cannot encode\n"));
    }

    @Test
    void restoresTheTasksOfAKilledRuntimeAfterTheVisibilityTimeout() {
        CountDownLatch never = new CountDownLatch(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(fx.send(Priority.NORMAL, kwargs(Map.of("i", i))));
        }
        OperatorRuntime doomed = fx.start(b -> b.concurrency(3).visibilityTimeout(Duration.ofSeconds(2)),
                task -> new CompletableFuture<>());
        await().atMost(Duration.ofSeconds(10)).until(() -> doomed.inFlight() == 3);
        doomed.halt();
        assertEquals(3L, fx.jedis.hlen(KombuKeys.UNACKED));
        assertEquals(0L, fx.jedis.llen(RuntimeFixture.queue(Priority.NORMAL)));
        fx.start(b -> b.visibilityTimeout(Duration.ofSeconds(2)), echo());
        for (String id : ids) {
            assertEquals(CeleryState.SUCCESS, fx.awaitFinal(id, Duration.ofSeconds(15)).status());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.jedis.hlen(KombuKeys.UNACKED) == 0);
        never.countDown();
    }

    @Test
    void gracefulCloseReturnsUnfinishedTasksToTheHeadOfTheirQueue() {
        String running = fx.send(Priority.NORMAL, kwargs(Map.of()));
        String waiting = fx.send(Priority.NORMAL, kwargs(Map.of()));
        OperatorRuntime r = fx.start(b -> b.concurrency(1).shutdownTimeout(Duration.ofMillis(300)),
                task -> new CompletableFuture<>());
        await().atMost(Duration.ofSeconds(10)).until(() -> r.inFlight() == 1);
        r.close();
        assertFalse(r.isLoopAlive());
        assertNull(fx.result(running));
        assertEquals(0L, fx.jedis.hlen(KombuKeys.UNACKED));
        assertEquals(0L, fx.jedis.zcard(KombuKeys.UNACKED_INDEX));
        // both back; the returned one is at the consuming end (RPOP side), ahead of the one that waited
        List<String> queue = fx.jedis.lrange(RuntimeFixture.queue(Priority.NORMAL), 0, -1);
        assertEquals(2, queue.size());
        assertTrue(queue.get(1).contains(running));
        assertTrue(queue.get(0).contains(waiting));
        fx.start(b -> b, echo());
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(running, Duration.ofSeconds(10)).status());
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(waiting, Duration.ofSeconds(10)).status());
    }

    /**
     * Redis stopped (AOF on, so queues and kombu's unacked hash survive) while two tasks run and two wait for a slot
     * with a cancel key to check: the running ones finish during the outage, the waiting ones meet it in their cancel
     * check. Every task must end SUCCESS, each run exactly once, and readiness must follow Redis both ways.
     */
    @Test
    void keepsTasksInFlightThroughARedisRestart() {
        CountDownLatch release = new CountDownLatch(1);
        Map<String, AtomicInteger> runs = new java.util.concurrent.ConcurrentHashMap<>();
        OperatorRuntime r = fx.start(b -> b.concurrency(2).prefetch(4), task -> {
            runs.computeIfAbsent(task.taskId(), k -> new AtomicInteger()).incrementAndGet();
            return CompletableFuture.supplyAsync(() -> {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return OperatorResult.success(List.of(), Map.of());
            });
        });
        await().atMost(Duration.ofSeconds(5)).until(r::isRedisReachable);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            var meta = i < 2 ? Map.<String, Object>of() : Map.<String, Object>of("cancel_key", "never-set-" + i);
            ids.add(fx.send(Priority.NORMAL, Map.of("input_artifacts", List.of(), "options", Map.of(), "meta", meta)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 2 && r.inFlight() == 4);

        redis.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !r.isRedisReachable());
        release.countDown(); // results are written while Redis is away: they must wait, not fail
        assertTrue(r.isLoopAlive());
        redis.start();
        await().atMost(Duration.ofSeconds(5)).until(r::isRedisReachable);

        try (var j = redis.newJedis()) { // the fixture's connection died with the restart
            for (String id : ids) {
                ResultMeta meta = await().atMost(Duration.ofSeconds(20)).until(() -> {
                    byte[] raw = j.get(("celery-task-meta-" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    return raw == null ? null : ResultMeta.decode(raw);
                }, m -> m != null && m.isFinal());
                assertEquals(CeleryState.SUCCESS, meta.status(), id);
                assertEquals("success", resultMap(meta).get("status"), id);
            }
            assertEquals(4, runs.size());
            runs.forEach((id, n) -> assertEquals(1, n.get(), "runs of " + id));
            await().atMost(Duration.ofSeconds(5)).until(() -> j.hlen(KombuKeys.UNACKED) == 0
                                                              && j.zcard(KombuKeys.UNACKED_INDEX) == 0);
        }
    }

    @Test
    void wakesUpThroughClientTracking() {
        // the safety net sleeps far longer than the wait below: only a tracking invalidation can wake the taker
        OperatorRuntime r = fx.start(b -> b.safetyWake(Duration.ofMinutes(10)), echo());
        await().atMost(Duration.ofSeconds(5)).until(r::isWakeupTracking);
        String first = fx.send(Priority.NORMAL, kwargs(Map.of()));
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(first, Duration.ofSeconds(5)).status());
        // idle again (asleep for the safety interval): a second push must wake it too
        String second = fx.send(Priority.HIGH, kwargs(Map.of()));
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(second, Duration.ofSeconds(5)).status());
    }

    @Test
    void acksOnReceiptWhenAcksLateIsOff() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        String id = fx.send(Priority.NORMAL, kwargs(Map.of()));
        fx.start(b -> b.acksLate(false), task -> CompletableFuture.supplyAsync(() -> {
            started.countDown();
            try {
                finish.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return OperatorResult.success(List.of(), Map.of());
        }));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        // running, yet no longer recorded as unacked
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.jedis.hlen(KombuKeys.UNACKED) == 0
                                                          && fx.jedis.zcard(KombuKeys.UNACKED_INDEX) == 0);
        assertNull(fx.result(id));
        finish.countDown();
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(id, Duration.ofSeconds(10)).status());
    }
}
