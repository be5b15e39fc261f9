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

/** What the Sentinel failover tests share: the cluster, a Java worker and client, a producer and the books. */
abstract class SentinelFailoverSupport {
    static final Logger LOG = LoggerFactory.getLogger(SentinelFailoverSupport.class);
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
    final ExecutorService pool = Executors.newCachedThreadPool();

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

    SentinelCluster cluster() throws Exception {
        SentinelCluster c = SentinelCluster.builder().withPassword(MASTER_PASSWORD)
                .withSentinelPassword(SENTINEL_PASSWORD).build();
        closing.add(c);
        c.start();
        return c;
    }

    static OperatorSettings settings(SentinelCluster c) {
        return OperatorSettings.builder().brokerUrl(c.url()).sentinelMasterName(c.masterName())
                .sentinelPassword(SENTINEL_PASSWORD).connectTimeout(Duration.ofSeconds(2))
                .poolAcquireTimeout(Duration.ofSeconds(10)).environment(k -> null).build();
    }

    OperatorRuntime javaWorker(SentinelCluster c, FailoverLedger ledger, Duration visibility) {
        OperatorRuntimeSettings.Builder b = OperatorRuntimeSettings.builder(OPERATOR, VERSION).connection(settings(c))
                .concurrency(4).acksLate(true);
        if (visibility != null) {
            b.visibilityTimeout(visibility);
        }
        OperatorRuntime runtime = new OperatorRuntime(b.build(), task -> {
            ledger.ran(task.taskId());
            // 20 ms of "work", or options.sleep seconds as the Python test worker does
            Object sleep = task.request().options().get("sleep");
            long millis = sleep instanceof Number n ? Math.round(n.doubleValue() * 1000) : 20;
            return CompletableFuture.supplyAsync(() -> OperatorResult.success(List.of(), Map.of("worker", "java")),
                    CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
        });
        closing.add(runtime);
        runtime.start();
        return runtime;
    }

    OperatorClient javaClient(SentinelCluster c) {
        OperatorClient client = OperatorClient.create(OPERATOR, VERSION, settings(c));
        closing.add(client);
        return client;
    }

    /**
     * Sends {@code count} tasks one after the other, each retried with the same task id until Redis takes it (a send
     * that failed during the failover may or may not have reached the old master: resending the same id is
     * at-least-once, counted as run twice if it was).
     */
    CompletableFuture<List<TaskHandle>> produce(OperatorClient client, String prefix, int count,
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

    void collect(List<TaskHandle> handles, FailoverLedger ledger, Duration timeout) {
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

    List<String> queues(OperatorClient client) {
        return List.copyOf(client.queueInfo().values());
    }

    /** Kills the master once {@code afterSends} sends were acknowledged; returns the failover time. */
    Duration killMasterAfter(SentinelCluster c, FailoverLedger ledger, int afterSends, OperatorClient client,
                                     List<String> ids) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> ledger.acknowledged.size() >= afterSends);
        int old = c.killMaster(); // then the mark: a send acknowledged until now may have gone to the old master
        ledger.killed();
        Duration failover = c.awaitNewMaster(old, FAILOVER_LIMIT);
        try (Jedis m = c.master()) {
            ledger.snapshot(m, queues(client), ids);
        }
        LOG.info("master {} killed after {} sends; new master {} after {} ms", old, afterSends, c.masterPort(),
                failover.toMillis());
        return failover;
    }

    static List<String> ids(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(prefix + "-" + i);
        }
        return ids;
    }

    static void assertBooks(FailoverLedger.Report r, int expectedSent) {
        LOG.info("sentinel failover books: {}", r);
        assertEquals(expectedSent, r.sent(), "sent: " + r);
        assertEquals(0, r.lostUnexplained(), "tasks lost without an unreplicated write to explain it: " + r);
        assertEquals(0, r.wronglyFailed(), "tasks failed by the failover: " + r);
        assertEquals(r.sent() - r.lostUnreplicatedSend() - r.lostUnreplicatedResult(), r.results(),
                "every task not lost with the old master has its result: " + r);
    }
}
