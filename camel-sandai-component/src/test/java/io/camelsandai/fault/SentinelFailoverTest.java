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
class SentinelFailoverTest extends SentinelFailoverSupport {
    private static final java.util.regex.Pattern SUCCEEDED =
            java.util.regex.Pattern.compile("Task sandai\\.operator\\.process\\[([^\\]]+)\\] succeeded");
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
        // A Celery worker that loses its connection keeps what it had taken in kombu's unacked hash (its restore
        // goes to the dead master); like every kombu consumer, the workers restore it after the visibility timeout.
        Duration visibility = Duration.ofSeconds(5);
        javaWorker(c, ledger, visibility);
        CeleryWorker celery = python.startWorker(CeleryWorkerOptions.builder().broker(c.url())
                .operator(OPERATOR, VERSION).concurrency(2).acksLate(true).visibilityTimeout(visibility)
                .env("SANDAI_TEST_MASTER_NAME", c.masterName())
                .env("SANDAI_TEST_SENTINEL_PASSWORD", SENTINEL_PASSWORD).build());
        OperatorClient client = javaClient(c);
        String normal = client.queueInfo().get(Priority.NORMAL);
        // The stock Celery client sends its tasks first and waits for their results across the failover.
        int pythonCount = 40;
        List<String> pythonIds = ids("py", pythonCount);
        SendTask send = SendTask.to(c.url(), normal).masterName(c.masterName()).sentinelPassword(SENTINEL_PASSWORD)
                .kwargsJson("{\"options\": {\"sleep\": 0.5}}").count(pythonCount).timeout(Duration.ofSeconds(90));
        pythonIds.forEach(send::taskId);
        CompletableFuture<SendTaskResult> pySent = CompletableFuture.supplyAsync(() -> python.sendTask(send), pool);
        // The master dies only once the Python client has sent everything (its last task is in Redis: queued, taken
        // or done); its tasks take 0.5 s each, so it waits for most of its results across the failover.
        String lastPython = pythonIds.get(pythonCount - 1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            try (Jedis m = c.master()) {
                if (m.exists("celery-task-meta-" + lastPython)
                    || m.hvals(io.camelsandai.codec.KombuKeys.UNACKED).stream().anyMatch(v -> v.contains(lastPython))) {
                    return true;
                }
                for (String list : io.camelsandai.codec.KombuKeys.pollOrder(normal)) {
                    if (m.lrange(list, 0, -1).stream().anyMatch(v -> v.contains(lastPython))) {
                        return true;
                    }
                }
                return false;
            }
        });
        pythonIds.forEach(ledger::acknowledged);
        // The Java client starts sending now, so that most of its sends meet the failover.
        int javaCount = 200;
        CompletableFuture<List<TaskHandle>> sending = produce(client, "java", javaCount, ledger);
        List<String> all = new ArrayList<>(ids("java", javaCount));
        all.addAll(pythonIds);
        killMasterAfter(c, ledger, pythonCount + 40, client, all); // 40 of the Java client's sends before the kill
        List<TaskHandle> handles = sending.get(90, TimeUnit.SECONDS);
        collect(handles, ledger, Duration.ofSeconds(60));
        SendTaskResult py = pySent.get(120, TimeUnit.SECONDS);
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
        // Runs by the Celery worker, from its log (one "succeeded" line per run), for the run-twice count.
        int ranByJava = ledger.runs.size(); // so far only the Java worker's handler has counted runs
        List<String> ranByCelery = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(celery.stderrLog())) {
            java.util.regex.Matcher m = SUCCEEDED.matcher(line);
            if (m.find()) {
                ledger.ran(m.group(1));
                ranByCelery.add(m.group(1));
            }
        }
        FailoverLedger.Report r = ledger.report();
        LOG.info("python client: {} results, {} of them run by the Celery worker; Java ran {} tasks, Celery {}, {} of "
                 + "them sent by the Java client", py.lines().size(), pythonRanByCelery, ranByJava, ranByCelery.size(),
                ranByCelery.stream().filter(id -> id.startsWith("java-")).count());
        assertBooks(r, javaCount + pythonCount);
        assertTrue(celery.isAlive(), "the Celery worker survived the failover");
        assertTrue(ranByJava > 0, "the Java worker took part in the shared queue: " + r);
        assertTrue(ranByCelery.stream().anyMatch(id -> id.startsWith("java-")),
                "the Celery worker took part in the Java client's tasks: " + r);
        assertTrue(!ranByCelery.isEmpty(), "the Celery worker took part in the shared queue: " + r);
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
        int old = c.killMaster(); // then the mark: a send acknowledged until now may have gone to the old master
        ledger.killed();
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
