package io.camelsandai.fault;

import java.time.Duration;

import io.camelsandai.client.OperatorClient;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.testsupport.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;

/**
 * Redis restarted (AOF on, so queues and kombu's unacked hash survive) while a Java worker is mid-task and the
 * producer waits for 500 results: nothing lost, nothing failed, every caller gets its result.
 */
class RedisRestartFaultTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.builder().withAppendOnly().build();

    @Test
    void restartWithAofMidRunLosesAndFailsNothing() {
        try (FaultFixture fx = new FaultFixture(); FaultLedger ledger = new FaultLedger()) {
            // A take whose reply the restart swallows has its tasks in unacked already (the script ran): they come
            // back after the visibility timeout, 10 s here instead of the default hour, so this run sees them.
            // (kombu's BRPOP loses such a message outright; ours waits for the restore.)
            OperatorRuntime worker = fx.worker(redis.url(), b -> b.concurrency(8).prefetch(16)
                    .visibilityTimeout(Duration.ofSeconds(10)), ledger.handler(Duration.ofMillis(40)));
            OperatorClient client = fx.client(redis.url());
            for (int i = 0; i < 500; i++) {
                ledger.call(client, Duration.ofSeconds(120), i % 5 == 0 ? "never-set-" + i : null);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ledger.started() >= 100);

            redis.stop(); // SIGTERM: Redis syncs its AOF and exits, with tasks running, queued and unacked
            await().atMost(Duration.ofSeconds(10)).until(() -> !worker.isRedisReachable());
            redis.start();
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(worker::isRedisReachable);

            // run twice: at most the tasks in flight at the restart (prefetch window) may be redelivered
            ledger.report("redis restart with AOF, 500 tasks", Duration.ofSeconds(90), back).assertHolds(16);
        }
    }
}
