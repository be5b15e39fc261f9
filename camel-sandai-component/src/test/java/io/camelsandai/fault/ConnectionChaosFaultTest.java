package io.camelsandai.fault;

import java.time.Duration;

import io.camelsandai.client.OperatorClient;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.testsupport.ChaosProxy;
import io.camelsandai.testsupport.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Worker and client each reach Redis through a loopback proxy the test controls: every connection cut at once, then
 * the client partitioned away while the worker publishes results (the client must re-subscribe and re-read them with
 * MGET), then 500 ms of latency each way while more tasks are sent.
 */
class ConnectionChaosFaultTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();

    @Test
    void cutsPartitionAndLatencyLoseAndFailNothing() {
        try (FaultFixture fx = new FaultFixture(); FaultLedger ledger = new FaultLedger();
             ChaosProxy toWorker = ChaosProxy.start(redis.host(), redis.port());
             ChaosProxy toClient = ChaosProxy.start(redis.host(), redis.port());
             Jedis direct = redis.newJedis()) {
            direct.flushAll();
            // a take whose reply a cut loses stays in unacked: the 10 s visibility timeout restores it in this run
            OperatorRuntime worker = fx.worker(toWorker.url(0), b -> b.concurrency(8).prefetch(16)
                    .visibilityTimeout(Duration.ofSeconds(10)), ledger.handler(Duration.ofMillis(30)));
            OperatorClient client = fx.client(toClient.url(0));
            for (int i = 0; i < 500; i++) {
                ledger.call(client, Duration.ofSeconds(120), i % 5 == 0 ? "never-set-" + i : null);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ledger.started() >= 100);

            toWorker.cutAll();
            toClient.cutAll();

            // partition the client: results published now reach nobody, they are only stored
            toClient.refuseNew(true);
            toClient.cutAll();
            int answered = ledger.finishedCalls();
            await().atMost(Duration.ofSeconds(30)).until(() -> storedResults(direct) >= answered + 50);
            int missed = storedResults(direct) - ledger.finishedCalls();
            toClient.refuseNew(false);
            assertTrue(missed >= 50, "results published while the client was away: " + missed);

            toWorker.latency(Duration.ofMillis(500));
            toClient.latency(Duration.ofMillis(500));
            for (int i = 0; i < 50; i++) {
                ledger.call(client, Duration.ofSeconds(120), null);
            }
            // Work goes on under the latency (every Redis round trip now costs a second, so a few dozen tasks are
            // enough to show it); how fast is the benchmarks' business, what is lost or failed is this test's.
            int beforeLatency = ledger.finishedCalls();
            await().atMost(Duration.ofSeconds(60)).until(() -> ledger.finishedCalls() >= beforeLatency + 30);
            toWorker.latency(Duration.ZERO);
            toClient.latency(Duration.ZERO);
            long healed = System.nanoTime();

            ledger.report("connections cut, client partitioned (" + missed + " results missed live), 500 ms latency",
                    Duration.ofSeconds(90), healed).assertHolds(16);
            assertTrue(worker.isLoopAlive());
        }
    }

    private static int storedResults(Jedis jedis) {
        int n = 0;
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams match = new ScanParams().match("celery-task-meta-*").count(1000);
        do {
            var page = jedis.scan(cursor, match);
            n += page.getResult().size();
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return n;
    }
}
