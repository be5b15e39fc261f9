package io.camelsandai.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.client.TaskHandle;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.operator.OperatorRuntimeSettings;
import io.camelsandai.testsupport.CeleryWorker;
import io.camelsandai.testsupport.CeleryWorkerOptions;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.SendTask;
import io.camelsandai.testsupport.SendTaskResult;
import io.camelsandai.testsupport.SentinelCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sentinel failover with real processes: 1 master, 1 replica, 3 sentinels ({@link SentinelCluster}); the master is
 * killed with SIGKILL while tasks flow. Java clients and workers use only {@code sentinel://} URLs and the master
 * name, as a Celery user configures them, and must follow the failover without a restart. Each test counts sent /
 * results / lost / wrongly failed / run twice ({@link FailoverLedger}); a loss is tolerated only when the new master's
 * contents prove that the old master acknowledged a write it never replicated (asynchronous replication), and it is
 * reported either way.
 */
class SentinelFailoverTest {
    private static final Logger LOG = LoggerFactory.getLogger(SentinelFailoverTest.class);
    static final String OPERATOR = "sentinel-op";
    static final String VERSION = "v1";
    /** The sentinels' own password, so that every test also proves sentinel_kwargs' password is used. */
    static final String SENTINEL_PASSWORD = "sentinel+pw";
    /** The master's password, with a '+' that form decoding would turn into a space. */
    static final String MASTER_PASSWORD = "master+pw";
    static final Duration FAILOVER_LIMIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final PythonCelery python = PythonCelery.create();

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        for (int i = closing.size() - 1; i >= 0; i--) {
            try {
                closing.get(i).close();
            } catch (Exception e) {
                LOG.warn("close failed: {}", e.toString());
            }
        }
    }

    private SentinelCluster cluster() throws Exception {
        SentinelCluster c = SentinelCluster.builder().withPassword(MASTER_PASSWORD)
                .withSentinelPassword(SENTINEL_PASSWORD).build();
        closing.add(c);
        c.start();
        return c;
    }

    private static OperatorSettings settings(SentinelCluster c) {
        return OperatorSettings.builder().brokerUrl(c.url()).sentinelMasterName(c.masterName())
                .sentinelPassword(SENTINEL_PASSWORD).connectTimeout(Duration.ofSeconds(2))
                .poolAcquireTimeout(Duration.ofSeconds(10)).environment(k -> null).build();
    }

    private OperatorRuntime javaWorker(SentinelCluster c, FailoverLedger ledger, Duration visibility) {
        OperatorRuntimeSettings.Builder b = OperatorRuntimeSettings.builder(OPERATOR, VERSION).connection(settings(c))
                .concurrency(4).acksLate(true);
        if (visibility != null) {
            b.visibilityTimeout(visibility);
        }
        OperatorRuntime runtime = new OperatorRuntime(b.build(), task -> {
            ledger.ran(task.taskId());
            return CompletableFuture.supplyAsync(() -> OperatorResult.success(List.of(), Map.of("worker", "java")),
                    CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
        });
        closing.add(runtime);
        runtime.start();
        return runtime;
    }

    private OperatorClient javaClient(SentinelCluster c) {
        OperatorClient client = OperatorClient.create(OPERATOR, VERSION, settings(c));
        closing.add(client);
        return client;
    }

    /**
     * Sends {@code count} tasks one after the other, each retried with the same task id until Redis takes it (a send
     * that failed during the failover may or may not have reached the old master: resending the same id is
     * at-least-once, counted as run twice if it was).
     */
    private CompletableFuture<List<TaskHandle>> produce(OperatorClient client, String prefix, int count,
                                                        FailoverLedger ledger) {
        return CompletableFuture.supplyAsync(() -> {
            List<TaskHandle> handles = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = prefix + "-" + i;
                long deadline = System.nanoTime() + FAILOVER_LIMIT.toNanos();
                for (int attempt = 0; ; attempt++) {
                    try {
                        handles.add(client.submit(OperatorRequest.of(List.of(), Map.of("i", i)),
                                CallOptions.DEFAULTS.withTaskId(id).withPriority(Priority.NORMAL)));
                        ledger.acknowledged(id);
                        break;
                    } catch (RuntimeException e) {
                        ledger.sendRetries.incrementAndGet();
                        if (System.nanoTime() > deadline || attempt > 10_000) {
                            throw new AssertionError("send of " + id + " refused for " + FAILOVER_LIMIT, e);
                        }
                        // Bounded back-off between attempts while the sentinels elect the new master.
                        await().pollDelay(Duration.ofMillis(100)).until(() -> true);
                    }
                }
            }
            return handles;
        }, pool);
    }

    private void collect(List<TaskHandle> handles, FailoverLedger ledger, Duration timeout) {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (TaskHandle h : handles) {
            waits.add(h.getAsync(timeout, null).handle((r, e) -> {
                if (r != null) {
                    ledger.result(h.id(), r.status().wireName());
                }
                return null;
            }));
        }
        CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).join();
    }

    private List<String> queues(OperatorClient client) {
        return List.copyOf(client.queueInfo().values());
    }

    /** Kills the master once {@code afterSends} sends were acknowledged; returns the failover time. */
    private Duration killMasterAfter(SentinelCluster c, FailoverLedger ledger, int afterSends, OperatorClient client,
                                     List<String> ids) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> ledger.acknowledged.size() >= afterSends);
        ledger.killed();
        int old = c.killMaster();
        Duration failover = c.awaitNewMaster(old, FAILOVER_LIMIT);
        try (Jedis m = c.master()) {
            ledger.snapshot(m, queues(client), ids);
        }
        LOG.info("master {} killed after {} sends; new master {} after {} ms", old, afterSends, c.masterPort(),
                failover.toMillis());
        return failover;
    }

    private static List<String> ids(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(prefix + "-" + i);
        }
        return ids;
    }

    private static void assertBooks(FailoverLedger.Report r, int expectedSent) {
        LOG.info("sentinel failover books: {}", r);
        assertEquals(expectedSent, r.sent(), "sent: " + r);
        assertEquals(0, r.lostUnexplained(), "tasks lost without an unreplicated write to explain it: " + r);
        assertEquals(0, r.wronglyFailed(), "tasks failed by the failover: " + r);
        assertEquals(r.sent() - r.lostUnreplicatedSend() - r.lostUnreplicatedResult(), r.results(),
                "every task not lost with the old master has its result: " + r);
    }

    @Test
    void javaClientAndWorkerFollowAFailoverWithoutRestart() throws Exception {
        SentinelCluster c = cluster();
        FailoverLedger ledger = new FailoverLedger();
        javaWorker(c, ledger, null);
        OperatorClient client = javaClient(c);
        int count = 150;
        CompletableFuture<List<TaskHandle>> sending = produce(client, "java", count, ledger);
        Duration failover = killMasterAfter(c, ledger, 50, client, ids("java", count));
        List<TaskHandle> handles = sending.get(90, TimeUnit.SECONDS);
        collect(handles, ledger, Duration.ofSeconds(60));
        FailoverLedger.Report r = ledger.report();
        assertBooks(r, count);
        assertTrue(ledger.acknowledged.size() > ledger.acknowledgedBeforeKill.size(),
                "some tasks were sent after the failover: " + r);
        assertTrue(failover.compareTo(FAILOVER_LIMIT) < 0);
    }

    @Test
    void pythonAndJavaWorkersAndClientsShareQueuesThroughAFailover() throws Exception {
        SentinelCluster c = cluster();
        FailoverLedger ledger = new FailoverLedger();
        javaWorker(c, ledger, null);
        CeleryWorker celery = python.startWorker(CeleryWorkerOptions.builder().broker(c.url())
                .operator(OPERATOR, VERSION).concurrency(2).acksLate(true)
                .env("SANDAI_TEST_MASTER_NAME", c.masterName())
                .env("SANDAI_TEST_SENTINEL_PASSWORD", SENTINEL_PASSWORD).build());
        OperatorClient client = javaClient(c);
        String normal = client.queueInfo().get(Priority.NORMAL);
        // The stock Celery client sends its tasks first and waits for their results across the failover.
        int pythonCount = 40;
        List<String> pythonIds = ids("py", pythonCount);
        SendTask send = SendTask.to(c.url(), normal).masterName(c.masterName()).sentinelPassword(SENTINEL_PASSWORD)
                .kwargsJson("{\"options\": {\"sleep\": 0.05}}").count(pythonCount).timeout(Duration.ofSeconds(90));
        pythonIds.forEach(send::taskId);
        CompletableFuture<SendTaskResult> pySent = CompletableFuture.supplyAsync(() -> python.sendTask(send), pool);
        int javaCount = 120;
        CompletableFuture<List<TaskHandle>> sending = produce(client, "java", javaCount, ledger);
        List<String> all = new ArrayList<>(ids("java", javaCount));
        all.addAll(pythonIds);
        killMasterAfter(c, ledger, 40, client, all);
        List<TaskHandle> handles = sending.get(90, TimeUnit.SECONDS);
        collect(handles, ledger, Duration.ofSeconds(60));
        SendTaskResult py = pySent.get(120, TimeUnit.SECONDS);
        pythonIds.forEach(ledger::acknowledged);
        int pythonRanByCelery = 0;
        for (String id : pythonIds) {
            JsonNode line = py.byId(id);
            if (line != null && "SUCCESS".equals(line.path("state").asText())) {
                ledger.result(id, line.path("result").path("status").asText());
                if (line.path("result").path("results").has("pid")) {
                    pythonRanByCelery++;
                }
            }
        }
        FailoverLedger.Report r = ledger.report();
        LOG.info("python client: {} results, {} run by the Celery worker", py.lines().size(), pythonRanByCelery);
        assertBooks(r, javaCount + pythonCount);
        assertTrue(celery.isAlive(), "the Celery worker survived the failover");
        assertTrue(ledger.runs.keySet().stream().anyMatch(id -> id.startsWith("py-")),
                "the Java worker took part in the Python client's tasks: " + r);
        assertTrue(pythonRanByCelery > 0, "the Celery worker took part in the Python client's tasks");
    }

    @Test
    void workerKilledDuringAFailoverLosesNothingAfterTheVisibilityTimeout() throws Exception {
        SentinelCluster c = cluster();
        FailoverLedger ledger = new FailoverLedger();
        Duration visibility = Duration.ofSeconds(3);
        // A Celery worker holding tasks (acks late) is killed while the master is being replaced; the Java
        // worker restores what it held once the visibility timeout has passed.
        CeleryWorker celery = python.startWorker(CeleryWorkerOptions.builder().broker(c.url())
                .operator(OPERATOR, VERSION).concurrency(2).acksLate(true).prefetchMultiplier(4)
                .visibilityTimeout(visibility).env("SANDAI_TEST_MASTER_NAME", c.masterName())
                .env("SANDAI_TEST_SENTINEL_PASSWORD", SENTINEL_PASSWORD).build());
        OperatorClient client = javaClient(c);
        int count = 60;
        List<TaskHandle> handles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "k-" + i;
            handles.add(client.submit(OperatorRequest.of(List.of(), Map.of("sleep", 0.5)),
                    CallOptions.DEFAULTS.withTaskId(id)));
            ledger.acknowledged(id);
        }
        celery.awaitLog(" received", Duration.ofSeconds(30));
        ledger.killed();
        int old = c.killMaster();
        celery.kill();
        c.awaitNewMaster(old, FAILOVER_LIMIT);
        try (Jedis m = c.master()) {
            ledger.snapshot(m, queues(client), ids("k", count));
        }
        javaWorker(c, ledger, visibility);
        collect(handles, ledger, Duration.ofSeconds(60));
        FailoverLedger.Report r = ledger.report();
        assertBooks(r, count);
        assertTrue(ledger.runs.size() > 0, "the Java worker restored and ran the dead worker's tasks: " + r);
    }
}
