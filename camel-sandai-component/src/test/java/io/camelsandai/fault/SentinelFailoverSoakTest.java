package io.camelsandai.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.TaskHandle;
import io.camelsandai.testsupport.SentinelCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failover test, longer: a Java client sends 3,000 tasks while the master is killed with SIGKILL four times, the
 * killed node coming back as a replica after each failover so that the next one can happen. Same books as
 * {@code SentinelFailoverTest}.
 *
 * <p>Tagged {@code soak}: {@code mvn -o -Dsoak -pl camel-sandai-component test -Dtest=SentinelFailoverSoakTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("soak")
class SentinelFailoverSoakTest extends SentinelFailoverSupport {
    private static final Logger SOAK_LOG = LoggerFactory.getLogger(SentinelFailoverSoakTest.class);
    static final int TASKS = 3_000;
    static final int FAILOVERS = 4;

    @Test
    void repeatedFailoversLoseNothingThatWasReplicated() throws Exception {
        SentinelCluster c = cluster();
        FailoverLedger ledger = new FailoverLedger();
        javaWorker(c, ledger, Duration.ofSeconds(5));
        OperatorClient client = javaClient(c);
        List<String> ids = ids("soak", TASKS);
        CompletableFuture<List<TaskHandle>> sending = produce(client, "soak", TASKS, ledger);
        List<Long> failoverMillis = new ArrayList<>();
        for (int k = 1; k <= FAILOVERS; k++) {
            int point = TASKS * k / (FAILOVERS + 1);
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(5))
                    .until(() -> ledger.acknowledged.size() >= point);
            int old = c.killMaster();
            ledger.killed();
            failoverMillis.add(c.awaitNewMaster(old, FAILOVER_LIMIT).toMillis());
            try (Jedis m = c.master()) {
                ledger.snapshot(m, queues(client), ids);
            }
            c.restart(old);
            ledger.resumed();
        }
        List<TaskHandle> handles = sending.get(600, TimeUnit.SECONDS);
        collect(handles, ledger, Duration.ofSeconds(120));
        SOAK_LOG.info("soak: {} failovers, failover times {} ms", FAILOVERS, failoverMillis);
        assertBooks(ledger.report(), TASKS);
        assertTrue(failoverMillis.size() == FAILOVERS);
    }
}
