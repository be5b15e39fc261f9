package io.camelsandai.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.client.TaskHandle;
import io.camelsandai.codec.KombuKeys;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.Priority;
import io.camelsandai.model.ReplicasNotConfirmedException;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.testsupport.RedisServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Durable sends against a real master and replica ({@code redis-server --replicaof}): with
 * {@code durableReplicas=1} a send returns only once the replica has the task, and fails with a typed exception
 * naming replicas acked and wanted when the replica is gone; the worker acks a task only once its result is
 * replicated.
 */
class DurableSendsTest {
    @RegisterExtension
    static final RedisServerExtension master = RedisServerExtension.builder()
            .withArgs("--repl-diskless-sync-delay", "0").build(); // a replica syncs at once, not after 5 s

    private static RedisServerExtension replica;

    @BeforeAll
    static void startReplica() {
        replica = RedisServerExtension.builder()
                .withArgs("--replicaof", "127.0.0.1", Integer.toString(master.port())).build();
        replica.start();
        awaitReplicaOnline();
    }

    @AfterAll
    static void stopReplica() {
        replica.close();
    }

    private static void awaitReplicaOnline() {
        try (Jedis m = master.newJedis()) {
            // connected_slaves counts a replica still in its full sync; WAIT counts only those online
            await("replica online").atMost(Duration.ofSeconds(20))
                    .until(() -> m.info("replication").contains("state=online"));
        }
    }

    /**
     * Where a send must fail for want of the replica, a short timeout keeps the test quick; where it must succeed,
     * a long one: on a loaded 2-core CI machine, 2000 sends at once have taken longer than 700 ms to reach the
     * replica, and a timing is not what those tests check.
     */
    private static final Duration FAIL_FAST = Duration.ofMillis(700);
    private static final Duration PATIENT = Duration.ofSeconds(30);

    private static OperatorSettings.Builder durable(Duration timeout) {
        return FaultFixture.connection(master.url()).durableReplicas(1).durableTimeout(timeout);
    }

    private static long waitCalls(Jedis jedis) {
        String stats = jedis.info("commandstats");
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_wait:")) {
                return Long.parseLong(line.replaceAll("^cmdstat_wait:calls=(\\d+),.*", "$1"));
            }
        }
        return 0;
    }

    @Test
    void durableSendsAndResultsAreConfirmedAndFailClearlyWithoutTheReplica() {
        String queue = Priority.NORMAL.queueFor(FaultFixture.OPERATOR, FaultFixture.VERSION);
        try (Jedis m = master.newJedis(); Jedis r = replica.newJedis();
             OperatorClient client = OperatorClient.create(FaultFixture.OPERATOR, FaultFixture.VERSION,
                     durable(PATIENT).build());
             OperatorClient failFast = OperatorClient.create(FaultFixture.OPERATOR, FaultFixture.VERSION,
                     durable(FAIL_FAST).build())) {
            m.flushAll();
            awaitReplicaOnline();
            // 200 concurrent sends share pipelines: one WAIT per pipeline, not one per task
            long waitsBefore = waitCalls(m);
            List<CompletableFuture<TaskHandle>> sends = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sends.add(client.submitAsync(OperatorRequest.of(List.of(), Map.of("i", i)), CallOptions.DEFAULTS));
            }
            sends.forEach(CompletableFuture::join);
            long waits = waitCalls(m) - waitsBefore;
            assertTrue(waits >= 1 && waits < 200, "WAIT calls for 200 sends: " + waits);
            assertEquals(200L, r.llen(queue), "a confirmed send is on the replica when the send returns");

            // replica gone: the send fails, typed, naming acked vs wanted
            replica.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> m.info("replication").contains("connected_slaves:0"));
            CompletionException e = assertThrows(CompletionException.class, () -> failFast.submitAsync(
                    OperatorRequest.of(List.of(), Map.of()), CallOptions.DEFAULTS).join());
            ReplicasNotConfirmedException notDurable = (ReplicasNotConfirmedException) e.getCause();
            assertEquals(0L, notDurable.acked());
            assertEquals(1, notDurable.wanted());
            assertTrue(notDurable.getMessage().contains("0 of 1 replicas"), notDurable.getMessage());
        } finally {
            replica.start();
            awaitReplicaOnline();
        }
    }

    /** Not an assertion (no timings in tests): the cost of WAIT on loopback, logged for docs/performance.md. */
    @Test
    void logsTheCostOfDurableSends() {
        try (Jedis m = master.newJedis();
             OperatorClient plain = OperatorClient.create(FaultFixture.OPERATOR, FaultFixture.VERSION,
                     FaultFixture.connection(master.url()).build());
             OperatorClient durable = OperatorClient.create(FaultFixture.OPERATOR, FaultFixture.VERSION,
                     durable(PATIENT).sharedTransportScope("process").build())) {
            awaitReplicaOnline();
            for (int round = 0; round < 2; round++) { // the first round warms up
                m.flushAll();
                long plainNanos = timeSends(plain, 2000);
                long durableNanos = timeSends(durable, 2000);
                long serialPlain = timeSerialSends(plain, 200);
                long serialDurable = timeSerialSends(durable, 200);
                org.slf4j.LoggerFactory.getLogger(DurableSendsTest.class).info(
                        "DURABLE COST round {}: 2000 concurrent sends {} ms plain, {} ms durable; 200 one-by-one sends "
                        + "{} us/send plain, {} us/send durable", round, plainNanos / 1_000_000,
                        durableNanos / 1_000_000, serialPlain / 200_000, serialDurable / 200_000);
            }
        }
    }

    private static long timeSends(OperatorClient client, int n) {
        long start = System.nanoTime();
        List<CompletableFuture<TaskHandle>> sends = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sends.add(client.submitAsync(OperatorRequest.of(List.of(), Map.of("i", i)), CallOptions.DEFAULTS));
        }
        sends.forEach(CompletableFuture::join);
        return System.nanoTime() - start;
    }

    private static long timeSerialSends(OperatorClient client, int n) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            client.submit(OperatorRequest.of(List.of(), Map.of("i", i)), CallOptions.DEFAULTS);
        }
        return System.nanoTime() - start;
    }

    @Test
    void theWorkerAcksOnlyOnceItsResultIsReplicated() {
        try (Jedis m = master.newJedis(); FaultFixture fx = new FaultFixture(); FaultLedger ledger = new FaultLedger();
             OperatorClient plain = OperatorClient.create(FaultFixture.OPERATOR, FaultFixture.VERSION,
                     FaultFixture.connection(master.url()).build())) {
            m.flushAll();
            awaitReplicaOnline();
            OperatorRuntime worker = new OperatorRuntime(io.camelsandai.operator.OperatorRuntimeSettings
                    .builder(FaultFixture.OPERATOR, FaultFixture.VERSION).connection(durable(FAIL_FAST).build())
                    .shutdownTimeout(Duration.ofSeconds(2)).build(), ledger.handler(Duration.ZERO));
            worker.start();
            try {
                TaskHandle first = plain.submit(OperatorRequest.of(List.of(), Map.of()), CallOptions.DEFAULTS);
                assertTrue(first.get(Duration.ofSeconds(20)).isSuccess());
                await().atMost(Duration.ofSeconds(5)).until(() -> m.hlen(KombuKeys.UNACKED) == 0);

                replica.stop();
                await().atMost(Duration.ofSeconds(10)).until(() -> m.info("replication").contains("connected_slaves:0"));
                TaskHandle second = plain.submit(OperatorRequest.of(List.of(), Map.of()), CallOptions.DEFAULTS);
                // the result is on the master, but not replicated: the task stays unacked, to be restored
                await().atMost(Duration.ofSeconds(20)).until(() -> m.exists("celery-task-meta-" + second.id()));
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                        .until(() -> m.hlen(KombuKeys.UNACKED) == 1);
            } finally {
                worker.close();
                replica.start();
                awaitReplicaOnline();
            }
        }
    }
}
