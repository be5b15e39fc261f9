package io.camelsandai.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.camelsandai.codec.ResultMeta;
import io.camelsandai.testsupport.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared result waiter writes its subscription changes in batches (several channels per SUBSCRIBE and
 * UNSUBSCRIBE) and still ends every id in the right state: subscribed while somebody waits, not after.
 */
class ResultWaiterBatchingTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();

    private ResultBackend backend;
    private Jedis admin;

    @BeforeEach
    void setUp() {
        admin = redis.newJedis();
        admin.flushAll();
        backend = Transports.acquireBackend(new Transports.BackendKey("waiter-test-" + UUID.randomUUID(),
                RedisUrl.parse(redis.url()), TlsSettings.DEFAULT, "json", Set.of("json"), 10, 10),
                new Transports.ResourceOptions(Duration.ofSeconds(5), Duration.ofSeconds(5), 3600));
    }

    @AfterEach
    void tearDown() {
        Transports.releaseBackend(backend);
        admin.close();
    }

    private static String meta(String id, String status) {
        return "{\"status\": \"" + status + "\", \"result\": 1, \"traceback\": null, \"children\": [], "
               + "\"date_done\": \"2026-12-02T09:00:00.000000\", \"task_id\": \"" + id + "\"}";
    }

    private long subscribed(String id) {
        return admin.pubsubNumSub(ResultBackend.metaKey(id)).get(ResultBackend.metaKey(id));
    }

    private long commandCalls(String command) {
        for (String line : admin.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":")) {
                return Long.parseLong(line.substring(line.indexOf(":calls=") + 7, line.indexOf(',')));
            }
        }
        return 0;
    }

    @Test
    void aBurstOfResultsIsUnsubscribedInFewCommandsAndEveryCallerGetsItsOwn() {
        int n = 500;
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<ResultMeta>> waits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            waits.add(backend.awaitFinal(id, null, false));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> subscribed(ids.get(n - 1)) == 1);
        ids.forEach(id -> assertEquals(1, subscribed(id), id));
        admin.configResetStat();
        Pipeline p = admin.pipelined(); // the results arrive as one burst, as from a worker's joined writes
        ids.forEach(id -> p.publish(ResultBackend.metaKey(id), meta(id, "SUCCESS")));
        p.sync();
        for (int i = 0; i < n; i++) {
            assertEquals(ids.get(i), waits.get(i).orTimeout(10, TimeUnit.SECONDS).join().taskId());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.pubsubChannels(ResultBackend.META_PREFIX + "*").isEmpty());
        assertEquals(0, backend.waitingCount());
        long unsubscribes = commandCalls("unsubscribe");
        // one UNSUBSCRIBE per result before; now what finished within a few milliseconds goes in one command
        assertTrue(unsubscribes <= n / 2, "UNSUBSCRIBE commands for " + n + " results: " + unsubscribes);
    }

    @Test
    void concurrentWaitersAreAllSubscribedAndEachGetsItsResult() throws Exception {
        String first = UUID.randomUUID().toString(); // the waiter's connection is up before the concurrent part
        CompletableFuture<ResultMeta> firstWait = backend.awaitFinal(first, null, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> subscribed(first) == 1);
        int threads = 8;
        int perThread = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<List<String>>> registered = new ArrayList<>();
        Map<String, CompletableFuture<ResultMeta>> waits = new java.util.concurrent.ConcurrentHashMap<>();
        for (int t = 0; t < threads; t++) {
            registered.add(CompletableFuture.supplyAsync(() -> {
                List<String> mine = new ArrayList<>();
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < perThread; i++) {
                    String id = UUID.randomUUID().toString();
                    waits.put(id, backend.awaitFinal(id, null, false));
                    mine.add(id);
                }
                return mine;
            }, pool));
        }
        start.countDown();
        List<String> ids = new ArrayList<>();
        registered.forEach(f -> ids.addAll(f.join()));
        pool.shutdown();
        // every subscription made it, whichever thread wrote it (only PUBLISH below: no sweep could find a result)
        await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream().allMatch(id -> subscribed(id) == 1));
        admin.publish(ResultBackend.metaKey(first), meta(first, "SUCCESS"));
        firstWait.orTimeout(10, TimeUnit.SECONDS).join();
        Pipeline p = admin.pipelined();
        ids.forEach(id -> p.publish(ResultBackend.metaKey(id), meta(id, "SUCCESS")));
        p.sync();
        for (String id : ids) {
            assertEquals(id, waits.get(id).orTimeout(10, TimeUnit.SECONDS).join().taskId());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.pubsubChannels(ResultBackend.META_PREFIX + "*").isEmpty());
    }

    @Test
    void aWaitRegisteredAgainRightAfterItsResultStaysSubscribed() {
        String id = UUID.randomUUID().toString();
        CompletableFuture<ResultMeta> first = backend.awaitFinal(id, null, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> subscribed(id) == 1);
        admin.publish(ResultBackend.metaKey(id), meta(id, "FAILURE"));
        first.orTimeout(5, TimeUnit.SECONDS).join();
        // its UNSUBSCRIBE is still queued: the new wait must win, whatever the order the two were queued in
        CompletableFuture<ResultMeta> second = backend.awaitFinal(id, null, false);
        await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5)).until(() -> subscribed(id) == 1);
        assertFalse(second.isDone());
        admin.publish(ResultBackend.metaKey(id), meta(id, "SUCCESS"));
        assertEquals("SUCCESS", second.orTimeout(5, TimeUnit.SECONDS).join().status());
        await().atMost(Duration.ofSeconds(5)).until(() -> subscribed(id) == 0);
    }

    @Test
    void aCancelledWaitLetsGoOfItsChannel() {
        String id = UUID.randomUUID().toString();
        CompletableFuture<ResultMeta> wait = backend.awaitFinal(id, null, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> subscribed(id) == 1);
        backend.stopWaiting(id);
        assertTrue(wait.isCancelled() || wait.isCompletedExceptionally());
        await().atMost(Duration.ofSeconds(5)).until(() -> subscribed(id) == 0);
        assertEquals(0, backend.waitingCount());
        assertEquals(List.of(), admin.pubsubChannels(ResultBackend.META_PREFIX + "*"));
    }
}
