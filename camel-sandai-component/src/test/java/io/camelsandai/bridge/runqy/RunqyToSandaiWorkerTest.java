package io.camelsandai.bridge.runqy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.client.OperatorSettings;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.testsupport.CeleryWorkerOptions;
import io.camelsandai.testsupport.ManagedProcess;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.testsupport.TestDirs;
import redis.clients.jedis.Jedis;

/** runqy tasks in the asynq layout of a real Redis, run by a stock Python Celery Sandai operator. */
class RunqyToSandaiWorkerTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    static final String QUEUE = "inference.default";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<RunqyToSandaiWorker> workers = new ArrayList<>();
    private Jedis jedis;
    private AsynqEnqueuer enqueuer;

    @BeforeAll
    static void startOperator() {
        PYTHON.startWorker(CeleryWorkerOptions.builder().redis(REDIS).operator("runqy-op", "v1")
                .pool(CeleryWorkerOptions.Pool.THREADS).concurrency(4).build());
    }

    @BeforeEach
    void connect() {
        jedis = new Jedis(REDIS.host(), REDIS.port());
        enqueuer = new AsynqEnqueuer(jedis);
        // Only the runqy side: the Celery worker's own keys (bindings) must survive between tests.
        jedis.keys("asynq:*").forEach(jedis::del);
    }

    @AfterEach
    void stop() {
        workers.forEach(RunqyToSandaiWorker::close);
        jedis.close();
    }

    private RunqyToSandaiWorker worker(Consumer<RunqyWorkerSettings.Builder> tune) {
        RunqyWorkerSettings.Builder b = RunqyWorkerSettings.builder(REDIS.url(), "runqy-op", "v1")
                .queue("inference").concurrency(2).pollInterval(Duration.ofMillis(50))
                .maintenanceInterval(Duration.ofMillis(200)).retryDelay(n -> Duration.ZERO)
                .operatorSettings(OperatorSettings.builder().brokerUrl(REDIS.url()).defaultTimeout(WAIT).build());
        tune.accept(b);
        RunqyToSandaiWorker w = new RunqyToSandaiWorker(b.build());
        workers.add(w);
        w.start();
        return w;
    }

    private String state(String id) {
        return enqueuer.field(QUEUE, id, "state");
    }

    private void awaitState(String id, String state) {
        await().atMost(WAIT).until(() -> state.equals(state(id)));
    }

    private void assertNothingActive() {
        AsynqKeys keys = AsynqKeys.of(QUEUE);
        assertEquals(0, jedis.llen(keys.active()));
        assertEquals(0, jedis.zcard(keys.lease()));
    }

    @Test
    void operatorResultEndsCompletedWithItsResult() {
        worker(b -> { });
        String kwargsShaped = enqueuer.enqueue("inference", Map.of("input_artifacts",
                List.of(Map.of("uri", "s3://b/v.mp4", "slot", "video")), "options", Map.of("clip", 2)));
        String flat = enqueuer.enqueue("inference", Map.of("input", "hi"));
        awaitState(kwargsShaped, "completed");
        awaitState(flat, "completed");

        Map<?, ?> result = (Map<?, ?>) PythonJson.decode(enqueuer.field(QUEUE, kwargsShaped, "result"));
        assertEquals("success", result.get("status"));
        assertEquals(Map.of("clip", 2L), ((Map<?, ?>) result.get("results")).get("echo"));
        assertEquals("s3://b/v.mp4.clip-0", ((Map<?, ?>) ((List<?>) result.get("artifacts")).get(0)).get("uri"));
        Map<?, ?> flatResult = (Map<?, ?>) PythonJson.decode(enqueuer.field(QUEUE, flat, "result"));
        assertEquals(Map.of("input", "hi"), ((Map<?, ?>) flatResult.get("results")).get("echo"));

        AsynqKeys keys = AsynqKeys.of(QUEUE);
        assertNotNull(jedis.zscore(keys.completed(), kwargsShaped));
        assertNotNull(enqueuer.field(QUEUE, kwargsShaped, "completed_at"));
        assertTrue(enqueuer.msg(QUEUE, kwargsShaped).completedAt() > 0, "msg carries completed_at for asynq tools");
        long ttl = jedis.ttl(keys.task(kwargsShaped));
        assertTrue(ttl > 86_000 && ttl <= 86_400, "retention of the message: " + ttl);
        assertEquals("2", jedis.get(keys.processed()));
        assertNull(jedis.get(keys.failed()));
        String daily = keys.processedOn(java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        assertEquals("asynq:{inference.default}:processed:" + java.time.LocalDate.now(java.time.ZoneOffset.UTC), daily);
        assertEquals("2", jedis.get(daily));
        long dailyTtl = jedis.ttl(daily);
        assertTrue(dailyTtl > 89L * 86_400 && dailyTtl <= 90L * 86_400, "daily counters live 90 days: " + dailyTtl);
        assertNothingActive();
    }

    @Test
    void retryableFailuresRetryThenArchivePermanentOnesArchiveAtOnce() {
        worker(b -> { });
        String retryable = enqueuer.enqueue("inference", Map.of("options", Map.of("fail",
                Map.of("type", "GpuBusy", "message", "try later", "retryable", true))), 2, Duration.ofSeconds(60));
        String permanent = enqueuer.enqueue("inference", Map.of("options", Map.of("fail",
                Map.of("type", "BadInput", "message", "no", "retryable", false))));
        awaitState(retryable, "archived");
        awaitState(permanent, "archived");

        assertEquals("2", enqueuer.field(QUEUE, retryable, "retried"));
        assertEquals("GpuBusy: try later", enqueuer.field(QUEUE, retryable, "error_msg"));
        assertEquals(2, enqueuer.msg(QUEUE, retryable).retried());
        assertEquals(null, enqueuer.field(QUEUE, permanent, "retried"));
        assertEquals("BadInput: no", enqueuer.field(QUEUE, permanent, "error_msg"));
        AsynqKeys keys = AsynqKeys.of(QUEUE);
        assertEquals("4", jedis.get(keys.failed()), "2 retries + 2 archives");
        assertEquals("4", jedis.get(keys.failedOn(java.time.LocalDate.now(java.time.ZoneOffset.UTC))));
        assertEquals("4", jedis.get(keys.processed()), "asynq counts each failed attempt as processed too");
        assertTrue(jedis.ttl(keys.task(permanent)) > 72 * 3600 - 100);
        assertNothingActive();
    }

    /**
     * asynq's books ({@code retryCmd}, {@code archiveCmd} in {@code internal/rdb/rdb.go}): a failed attempt counts
     * as processed and as failed, so runqy's succeeded = processed - failed is the number of successes.
     */
    @Test
    void everyFailedAttemptCountsAsProcessedAndFailedAsAsynqCounts() {
        worker(b -> { });
        int successes = 3;
        List<String> ok = new ArrayList<>();
        for (int i = 0; i < successes; i++) {
            ok.add(enqueuer.enqueue("inference", Map.of("n", i)));
        }
        // 2 retries then an archive: 3 failed attempts; a permanent failure: 1 more
        String retryable = enqueuer.enqueue("inference", Map.of("options", Map.of("fail",
                Map.of("type", "GpuBusy", "message", "later", "retryable", true))), 2, Duration.ofSeconds(60));
        String permanent = enqueuer.enqueue("inference", Map.of("options", Map.of("fail",
                Map.of("type", "BadInput", "message", "no", "retryable", false))));
        int failedAttempts = 4;
        ok.forEach(id -> awaitState(id, "completed"));
        awaitState(retryable, "archived");
        awaitState(permanent, "archived");

        AsynqKeys keys = AsynqKeys.of(QUEUE);
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        assertEquals(String.valueOf(successes + failedAttempts), jedis.get(keys.processed()));
        assertEquals(String.valueOf(failedAttempts), jedis.get(keys.failed()));
        assertEquals(String.valueOf(successes + failedAttempts), jedis.get(keys.processedOn(today)));
        assertEquals(String.valueOf(failedAttempts), jedis.get(keys.failedOn(today)));
        assertEquals(successes, Long.parseLong(jedis.get(keys.processed())) - Long.parseLong(jedis.get(keys.failed())),
                "runqy's succeeded = processed - failed");
        long dailyTtl = jedis.ttl(keys.processedOn(today));
        assertTrue(dailyTtl > 89L * 86_400 && dailyTtl <= 90L * 86_400, "daily counters live 90 days: " + dailyTtl);
    }

    @Test
    void aRetryWaitsInTheRetrySetWithRunqysBackoff() {
        worker(b -> b.retryDelay(RunqyWorkerSettings::defaultRetryDelay));
        String id = enqueuer.enqueue("inference", Map.of("options", Map.of("fail",
                Map.of("type", "GpuBusy", "message", "later", "retryable", true))));
        awaitState(id, "retry");
        double score = jedis.zscore(AsynqKeys.of(QUEUE).retry(), id);
        long expected = Instant.now().getEpochSecond() + 10; // attempt 1: 1^4 x 10 s
        assertTrue(Math.abs(score - expected) <= 2, "retry at " + score + ", expected about " + expected);
        assertTrue(enqueuer.field(QUEUE, id, "error_msg").endsWith("(will retry)"));
        assertEquals("1", enqueuer.field(QUEUE, id, "retried"));
    }

    /** A real crash: the worker runs in a child JVM that gets SIGKILL while it holds the task. */
    @Test
    void aWorkerKilledMidTaskLeavesItsTaskToLeaseRecovery() {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path logs = TestDirs.dir("runqy-crash");
        ManagedProcess dying = ManagedProcess.start("runqy-worker", List.of(javaBin, "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), RunqyWorkerProcessMain.class.getName(), REDIS.url(),
                "runqy-op", "v1", "2"), Map.of(), logs, logs);
        String id;
        try {
            id = enqueuer.enqueue("inference", Map.of("options", Map.of("sleep", 1.5, "n", 1)));
            await().atMost(WAIT).alias("the child worker takes the task").until(() -> "active".equals(state(id)));
        } finally {
            dying.kill();
        }
        assertEquals(1, jedis.llen(AsynqKeys.of(QUEUE).active()), "still active, nobody renews its lease");

        worker(b -> b.lease(Duration.ofSeconds(2)));
        awaitState(id, "completed");
        assertEquals("1", enqueuer.field(QUEUE, id, "retried"), "recovery counts one retry");
        assertTrue(enqueuer.field(QUEUE, id, "error_msg").startsWith(RunqyToSandaiWorker.LEASE_EXPIRED));
        assertNothingActive();
    }

    @Test
    void aLongTaskKeepsItsLeaseAlive() {
        worker(b -> b.lease(Duration.ofSeconds(2)));
        String id = enqueuer.enqueue("inference", Map.of("options", Map.of("sleep", 4)));
        awaitState(id, "completed");
        assertNull(enqueuer.field(QUEUE, id, "retried"), "never recovered while its worker lived");
    }

    @Test
    void aMsgThatDoesNotDecodeIsArchivedWithTheReasonAndTheQueueGoesOn() {
        worker(b -> { });
        enqueuer.enqueueRaw(QUEUE, "bad-1", new byte[] {(byte) 0xff, 0x01});
        String good = enqueuer.enqueue("inference", Map.of("x", 1));
        awaitState("bad-1", "archived");
        awaitState(good, "completed");
        assertTrue(enqueuer.field(QUEUE, "bad-1", "error_msg").startsWith("cannot decode asynq TaskMessage"),
                enqueuer.field(QUEUE, "bad-1", "error_msg"));
        assertNothingActive();
    }

    @Test
    void aPayloadThatIsNotJsonIsArchived() {
        worker(b -> { });
        AsynqTaskMessage msg = AsynqTaskMessage.of("bad-json", QUEUE, "{not json".getBytes(), 3, 60, 86400);
        enqueuer.enqueueRaw(QUEUE, "bad-json", msg.encode());
        awaitState("bad-json", "archived");
        assertTrue(enqueuer.field(QUEUE, "bad-json", "error_msg").startsWith("payload is not JSON"));
    }

    @Test
    void stopPutsUnfinishedTasksBackToPending() {
        RunqyToSandaiWorker w = worker(b -> b.shutdownTimeout(Duration.ofMillis(200)));
        String id = enqueuer.enqueue("inference", Map.of("options", Map.of("sleep", 3)));
        awaitState(id, "active");
        w.close();
        assertEquals("pending", state(id));
        assertEquals(List.of(id), jedis.lrange(AsynqKeys.of(QUEUE).pending(), 0, -1));
        assertNothingActive();
    }

    @Test
    void aLegacyHashWithABase64PayloadRunsAndGetsAMsg() {
        worker(b -> { });
        AsynqKeys keys = AsynqKeys.of(QUEUE);
        // runqy-worker's legacy layout: no msg; payload as Go writes a []byte into JSON (a base64 string)
        String b64 = java.util.Base64.getEncoder().encodeToString("{\"input\":\"hi\"}".getBytes());
        jedis.hset(keys.task("legacy-1"), Map.of("type", QUEUE, "payload", "\"" + b64 + "\"", "max_retry", "3",
                "state", "pending"));
        jedis.lpush(keys.pending(), "legacy-1");
        awaitState("legacy-1", "completed");
        Map<?, ?> result = (Map<?, ?>) PythonJson.decode(enqueuer.field(QUEUE, "legacy-1", "result"));
        assertEquals(Map.of("input", "hi"), ((Map<?, ?>) result.get("results")).get("echo"));
        AsynqTaskMessage msg = enqueuer.msg(QUEUE, "legacy-1");
        assertEquals("legacy-1", msg.id());
        assertEquals(QUEUE, msg.queue());
        assertEquals(3, msg.retry());
    }

    @Test
    void aPendingTimeoutArchivesWithoutRunningAndAnOrphanLeaseIsDropped() {
        AsynqKeys keys = AsynqKeys.of(QUEUE);
        jedis.lpush(keys.active(), "orphan");
        jedis.zadd(keys.lease(), Instant.now().getEpochSecond() - 30, "orphan");
        String id = enqueuer.enqueue("inference", Map.of("options", Map.of("x", 1)));
        // as runqy-worker reads it: pending_since in seconds, pending_timeout in seconds
        jedis.hset(keys.task(id), Map.of("pending_since", String.valueOf(Instant.now().getEpochSecond() - 100),
                "pending_timeout", "10"));
        worker(b -> { });
        awaitState(id, "archived");
        assertTrue(enqueuer.field(QUEUE, id, "error_msg").matches("pending timeout: waited 1\\d\\ds before pickup"),
                enqueuer.field(QUEUE, id, "error_msg"));
        assertNull(enqueuer.field(QUEUE, id, "result"), "never ran");
        await().atMost(WAIT).until(() -> jedis.zscore(keys.lease(), "orphan") == null);
        assertEquals(List.of(), jedis.lrange(keys.active(), 0, -1));
        assertTrue(jedis.hgetAll(keys.task("orphan")).isEmpty(), "no hash made up for a task that is gone");
    }

    @Test
    void aPausedQueueIsNotTaken() {
        AsynqKeys keys = AsynqKeys.of(QUEUE);
        jedis.set(keys.paused(), "1");
        worker(b -> { });
        String id = enqueuer.enqueue("inference", Map.of("x", 1));
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> "pending".equals(state(id)));
        jedis.del(keys.paused());
        awaitState(id, "completed");
    }
}
