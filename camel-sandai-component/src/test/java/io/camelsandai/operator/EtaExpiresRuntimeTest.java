package io.camelsandai.operator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.KombuKeys;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.codec.TaskEnvelope;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.testsupport.SendTask;
import io.camelsandai.testsupport.SendTaskResult;
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

/**
 * Celery's {@code eta} (countdown) and {@code expires} headers, sent by stock Python Celery 5.2 {@code send_task}
 * (and by hand for malformed values), served by the Java runtime the way the Celery worker serves them.
 */
class EtaExpiresRuntimeTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery python = PythonCelery.create();

    private RuntimeFixture fx;
    /** Task id → epoch millis at which the handler started it. */
    private final Map<String, Long> started = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        fx = new RuntimeFixture(redis);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private OperatorHandler recording() {
        return task -> {
            started.put(task.taskId(), System.currentTimeMillis());
            return CompletableFuture.completedFuture(OperatorResult.success(List.of(), Map.of("ok", true)));
        };
    }

    private static SendTask send(Priority p) {
        return SendTask.to(redis, RuntimeFixture.queue(p)).kwargs(Map.of("options", Map.of()));
    }

    @Test
    void anExpiredTaskIsRevokedAsCeleryDoesAndPythonSeesRevoked() {
        OperatorRuntime runtime = fx.start(b -> b, recording());
        SendTaskResult r = python.sendTask(send(Priority.HIGH).expires(-5).timeout(Duration.ofSeconds(20)));
        JsonNode line = r.line(0);
        assertEquals("REVOKED", line.at("/state").asText(), line.toString());
        assertEquals("TaskRevokedError", line.at("/error_type").asText(), line.toString());
        assertEquals("expired", line.at("/error").asText());
        // byte for byte what Celery 5.2.6 stores (captured from a real worker): no traceback, a date_done
        ResultMeta meta = fx.result(line.at("/id").asText());
        assertEquals(Map.of("exc_type", "TaskRevokedError", "exc_message", List.of("expired"),
                "exc_module", "celery.exceptions"), meta.result());
        assertNull(meta.traceback());
        assertTrue(meta.dateDone() != null);
        assertTrue(started.isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.jedis.hlen(KombuKeys.UNACKED) == 0
                                                          && fx.jedis.zcard(KombuKeys.UNACKED_INDEX) == 0);
        awaitNoReservedOrScheduled(runtime);
    }

    @Test
    void aCountdownTaskDoesNotStartBeforeItsEtaThenSucceeds() {
        OperatorRuntime runtime = fx.start(b -> b, recording());
        long before = System.currentTimeMillis();
        SendTaskResult sent = python.sendTask(send(Priority.NORMAL).countdown(2).noWait());
        String id = sent.line(0).at("/id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.heldForEta() == 1);
        // held, yet taken: recorded in kombu's unacked, so a crash restores it
        assertEquals(0L, fx.jedis.llen(RuntimeFixture.queue(Priority.NORMAL)));
        assertEquals(1L, fx.jedis.hlen(KombuKeys.UNACKED));
        Instant eta = heldEta(id);
        ResultMeta meta = fx.awaitFinal(id, Duration.ofSeconds(15));
        assertEquals(CeleryState.SUCCESS, meta.status());
        assertTrue(started.get(id) >= before + 2000, "started " + (started.get(id) - before) + " ms after the send");
        assertTrue(started.get(id) >= eta.toEpochMilli(), "started before its eta " + eta);
        assertEquals(0, runtime.heldForEta());
        awaitNoReservedOrScheduled(runtime);
    }

    @Test
    void pythonAsyncResultGetsTheResultOfACountdownTask() {
        fx.start(b -> b, recording());
        long before = System.currentTimeMillis();
        SendTaskResult r = python.sendTask(send(Priority.LOW).countdown(1).timeout(Duration.ofSeconds(20)));
        assertEquals("SUCCESS", r.line(0).at("/state").asText(), r.toString());
        assertTrue(started.get(r.line(0).at("/id").asText()) >= before + 1000);
    }

    @Test
    void aTaskThatExpiresWhileHeldForItsEtaIsRevokedAtItsEta() {
        OperatorRuntime runtime = fx.start(b -> b, recording());
        SendTaskResult r = python.sendTask(send(Priority.NORMAL).countdown(2).expires(1)
                .timeout(Duration.ofSeconds(20)));
        assertEquals("REVOKED", r.line(0).at("/state").asText(), r.toString());
        assertTrue(started.isEmpty());
        awaitNoReservedOrScheduled(runtime);
    }

    @Test
    void aHeldEtaTaskLetsOtherTasksFlowThroughAConcurrencyOneWorker() {
        // concurrency 1 and prefetch 1: without the eta allowance the held task would block the worker
        OperatorRuntime runtime = fx.start(b -> b.concurrency(1).prefetch(1), recording());
        long before = System.currentTimeMillis();
        String held = python.sendTask(send(Priority.HIGH).countdown(4).noWait()).line(0).at("/id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.heldForEta() == 1);
        List<String> others = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(fx.send(Priority.HIGH, Map.of("options", Map.of("i", i))));
        }
        for (String id : others) {
            assertEquals(CeleryState.SUCCESS, fx.awaitFinal(id, Duration.ofSeconds(10)).status());
        }
        assertFalse(started.containsKey(held), "the eta task ran early");
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(held, Duration.ofSeconds(15)).status());
        assertTrue(started.get(held) >= before + 4000);
        for (String id : others) {
            assertTrue(started.get(id) < started.get(held));
        }
    }

    @Test
    void aTaskThatExpiresWhileWaitingForTheOnlySlotIsRevokedRightBeforeTheHandler() {
        CompletableFuture<OperatorResult> blocker = new CompletableFuture<>();
        String first = fx.send(Priority.HIGH, Map.of("options", Map.of()));
        // prefetch 2, concurrency 1: the expiring task is taken (not yet expired) and waits for the slot
        OperatorRuntime runtime = fx.start(b -> b.concurrency(1).prefetch(2), task -> {
            started.put(task.taskId(), System.currentTimeMillis());
            return task.taskId().equals(first) ? blocker
                    : CompletableFuture.completedFuture(OperatorResult.success(List.of(), Map.of()));
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> started.containsKey(first));
        String expiring = python.sendTask(send(Priority.HIGH).expires(3).noWait()).line(0).at("/id").asText();
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.jedis.hlen(KombuKeys.UNACKED) == 2);
        // the deadline is the one Celery wrote into the message (a slow Python start moves it; a fixed wait would not)
        Instant expiresAt = heldEnvelope(expiring).expires();
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(expiresAt.plusMillis(200)));
        blocker.complete(OperatorResult.success(List.of(), Map.of()));
        assertEquals(CeleryState.REVOKED, fx.awaitFinal(expiring, Duration.ofSeconds(10)).status());
        assertFalse(started.containsKey(expiring));
        awaitNoReservedOrScheduled(runtime);
    }

    @Test
    void gracefulStopReturnsAHeldEtaTaskToItsQueueWithoutWaitingForIt() {
        OperatorRuntime runtime = fx.start(b -> b.shutdownTimeout(Duration.ofSeconds(30)), recording());
        SendTaskResult sent = python.sendTask(send(Priority.NORMAL).countdown(120).noWait());
        String id = sent.line(0).at("/id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.heldForEta() == 1);
        assertEquals(1, runtime.workerState().scheduledCount());
        Instant eta = heldEta(id);
        long closing = System.currentTimeMillis();
        runtime.close();
        assertEquals(0, runtime.workerState().scheduledCount(), "returned to its queue: no longer scheduled");
        assertEquals(0, runtime.workerState().reservedCount());
        assertTrue(System.currentTimeMillis() - closing < 10_000, "close waited for the held task");
        assertEquals(0L, fx.jedis.hlen(KombuKeys.UNACKED));
        assertEquals(0L, fx.jedis.zcard(KombuKeys.UNACKED_INDEX));
        List<String> queue = fx.jedis.lrange(RuntimeFixture.queue(Priority.NORMAL), 0, -1);
        assertEquals(1, queue.size());
        TaskEnvelope back = TaskEnvelope.parse(queue.get(0));
        assertEquals(id, back.taskId());
        assertEquals(eta, back.eta(), "returned unchanged, eta included");
        assertNull(fx.result(id));
        assertTrue(started.isEmpty());
    }

    @Test
    void malformedEtaOrExpiresIsAnInvalidTaskErrorAndADeadLetter() {
        String envelope = fx.message(Priority.NORMAL, Map.of("options", Map.of())).build().toEnvelope();
        String badEta = idOf(envelope.replace("\"eta\": null", "\"eta\": \"tomorrow\""));
        String numberExpires = idOf(fx.message(Priority.NORMAL, Map.of("options", Map.of())).build().toEnvelope()
                .replace("\"expires\": null", "\"expires\": 1795422397.5"));
        OperatorRuntime runtime = fx.start(b -> b, recording());
        for (String id : List.of(badEta, numberExpires)) {
            ResultMeta meta = fx.awaitFinal(id, Duration.ofSeconds(10));
            assertEquals(CeleryState.FAILURE, meta.status());
            assertEquals("InvalidTaskError", resultMap(meta).get("exc_type"));
            assertEquals("celery.exceptions", resultMap(meta).get("exc_module"));
        }
        assertEquals(List.of("invalid ETA value: not an ISO-8601 datetime"),
                resultMap(fx.result(badEta)).get("exc_message"));
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.jedis.llen("sandai.dead-letter") == 2);
        assertEquals(0L, fx.jedis.hlen(KombuKeys.UNACKED));
        assertTrue(started.isEmpty());
        awaitNoReservedOrScheduled(runtime); // refused: dead-lettered, not left reserved
    }

    @Test
    void etaAndExpiresWithOffsetsOrNaiveAreReadAsInstants() {
        fx.start(b -> b, recording());
        // naive = UTC (an expiry in 2020 is past); an eta in the past with an offset runs at once
        String naiveExpired = idOf(fx.message(Priority.NORMAL, Map.of("options", Map.of())).build().toEnvelope()
                .replace("\"expires\": null", "\"expires\": \"2020-01-01T00:00:00\""));
        String pastEta = idOf(fx.message(Priority.NORMAL, Map.of("options", Map.of())).build().toEnvelope()
                .replace("\"eta\": null", "\"eta\": \"2020-01-01T05:30:00+05:30\""));
        assertEquals(CeleryState.REVOKED, fx.awaitFinal(naiveExpired, Duration.ofSeconds(10)).status());
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(pastEta, Duration.ofSeconds(10)).status());
    }

    /** Remote control keeps no entry for a task that left the worker, whichever way it left. */
    private static void awaitNoReservedOrScheduled(OperatorRuntime runtime) {
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.workerState().reservedCount() == 0
                                                          && runtime.workerState().scheduledCount() == 0);
    }

    /** Pushes the envelope to the normal queue; returns its task id. */
    private String idOf(String envelope) {
        fx.pushRaw(RuntimeFixture.queue(Priority.NORMAL), envelope);
        return (String) ((Map<?, ?>) ((Map<?, ?>) PythonJson.decode(envelope)).get("headers")).get("id");
    }

    /** The eta Celery wrote for a task held now, read from its kombu unacked record. */
    private Instant heldEta(String id) {
        return heldEnvelope(id).eta();
    }

    private TaskEnvelope heldEnvelope(String id) {
        return fx.jedis.hvals(KombuKeys.UNACKED).stream()
                .map(entry -> PythonJson.encodeToString(((List<?>) PythonJson.decode(entry)).get(0)))
                .map(TaskEnvelope::parse).filter(e -> id.equals(e.taskId())).findFirst().orElseThrow();
    }
}
