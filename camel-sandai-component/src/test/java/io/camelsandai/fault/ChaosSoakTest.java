package io.camelsandai.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelsandai.client.OperatorClient;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.testsupport.ChaosProxy;
import io.camelsandai.testsupport.RedisServerExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;

/**
 * The fault suite, longer: a Java worker and a Java client (each through its own {@link ChaosProxy}) under steady
 * load while faults follow each other: AOF restart, kill -9 and restart (appendfsync always), every connection cut,
 * 500 ms latency, a 36 s SIGSTOP, and Redis down 60 s (after the worker saw it go). Each round sends 100 tasks (a fifth with cancel keys),
 * injects one fault while they are in flight, and measures the recovery: from the end of the fault to the last
 * caller answered. Totals are checked as in the short suite: 0 lost, 0 wrongly failed, "run twice" bounded.
 *
 * <p>Tagged {@code soak}: {@code mvn -o -Dsoak -pl camel-sandai-component verify -Dtest=ChaosSoakTest
 * -Dsurefire.failIfNoSpecifiedTests=false} ({@code -Dsoak.rounds=N}, default 12: two passes over the six faults).
 */
@Tag("soak")
class ChaosSoakTest {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosSoakTest.class);

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.builder().withAppendOnly().build();

    private interface Fault {
        void inject(ChaosProxy worker, ChaosProxy client, OperatorRuntime runtime);
    }

    @Test
    void repeatedFaultsLoseAndFailNothing() {
        Map<String, Fault> faults = new LinkedHashMap<>();
        faults.put("restart-aof", (w, c, r) -> {
            redis.stop();
            redis.start();
        });
        faults.put("kill-9", (w, c, r) -> {
            redis.kill();
            redis.start();
        });
        faults.put("cut-all", (w, c, r) -> {
            w.cutAll();
            c.cutAll();
        });
        faults.put("latency-500ms", (w, c, r) -> {
            w.latency(Duration.ofMillis(500));
            c.latency(Duration.ofMillis(500));
            int before = r.inFlight();
            await().atMost(Duration.ofSeconds(30)).until(() -> r.inFlight() != before || before == 0);
            w.latency(Duration.ZERO);
            c.latency(Duration.ZERO);
        });
        faults.put("sigstop-36s", (w, c, r) -> {
            redis.pause();
            await().atMost(Duration.ofSeconds(10)).until(() -> !r.isRedisReachable());
            await().during(Duration.ofSeconds(32)).atMost(Duration.ofSeconds(36)).until(() -> !r.isRedisReachable());
            redis.resume();
        });
        faults.put("down-60s", (w, c, r) -> {
            redis.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> !r.isRedisReachable());
            await().during(Duration.ofSeconds(60)).atMost(Duration.ofSeconds(65)).until(() -> !r.isRedisReachable());
            redis.start();
        });
        int rounds = Integer.getInteger("soak.rounds", 12);
        List<String> names = new ArrayList<>(faults.keySet());
        Map<String, Long> worstRecovery = new LinkedHashMap<>();
        Map<String, Long> worstReady = new LinkedHashMap<>();
        Map<String, Integer> runTwice = new LinkedHashMap<>();
        try (FaultFixture fx = new FaultFixture(); FaultLedger ledger = new FaultLedger();
             ChaosProxy toWorker = ChaosProxy.start(redis.host(), redis.port());
             ChaosProxy toClient = ChaosProxy.start(redis.host(), redis.port())) {
            redis.flushAll();
            OperatorRuntime worker = fx.worker(toWorker.url(0), b -> b.concurrency(8).prefetch(16)
                    .visibilityTimeout(Duration.ofSeconds(10)), ledger.handler(Duration.ofMillis(40)));
            OperatorClient client = fx.client(toClient.url(0));
            long lastFaultEnd = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                String name = names.get(round % names.size());
                int startedBefore = ledger.started();
                int twiceBefore = ledger.runTwice();
                for (int i = 0; i < 100; i++) {
                    ledger.call(client, Duration.ofSeconds(300), i % 5 == 0 ? "never-set-" + round + "-" + i : null);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> ledger.started() >= startedBefore + 20);
                faults.get(name).inject(toWorker, toClient, worker);
                long end = System.nanoTime();
                lastFaultEnd = end;
                await().atMost(Duration.ofSeconds(30)).until(worker::isRedisReachable);
                long ready = (System.nanoTime() - end) / 1_000_000;
                int total = (round + 1) * 100;
                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(50))
                        .until(() -> ledger.finishedCalls() >= total);
                long recovered = (System.nanoTime() - end) / 1_000_000;
                worstRecovery.merge(name, recovered, Math::max);
                worstReady.merge(name, ready, Math::max);
                int twice = ledger.runTwice() - twiceBefore;
                runTwice.merge(name, twice, Integer::sum);
                LOG.info("SOAK round {} fault {}: worker ready after {} ms, all callers answered {} ms after the fault, "
                         + "{} run twice", round, name, ready, recovered, twice);
            }
            FaultReport report = ledger.report("chaos soak, " + rounds + " faults", Duration.ofSeconds(60),
                    lastFaultEnd);
            LOG.info("SOAK worst readiness (ms) {}; worst recovery (ms) {}; run twice by fault {}", worstReady,
                    worstRecovery, runTwice);
            report.assertHolds(16 * rounds);
        }
    }
}
