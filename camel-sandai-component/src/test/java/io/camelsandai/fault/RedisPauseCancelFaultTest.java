package io.camelsandai.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.testsupport.SendTask;
import io.camelsandai.testsupport.SendTaskResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reproduction of issue 11: a stock Celery client sends 120 tasks, each with a cancel key that is never set, to
 * a Java worker with concurrency 4 and prefetch 16; Redis is paused (SIGSTOP) for longer than 30 s, so cancel
 * checks, result writes and takes all meet a Redis that accepts connections but answers nothing. Before the fix
 * 4 of 120 ended FAILURE ({@code cannot check the cancel key: TimeoutException}); now none may.
 */
class RedisPauseCancelFaultTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.builder().withAppendOnly().build();

    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    private static final Duration PAUSE = Duration.ofSeconds(36);

    @Test
    void pauseLongerThan30sWithCancelKeysFailsNothing() {
        try (FaultFixture fx = new FaultFixture(); FaultLedger ledger = new FaultLedger()) {
            redis.flushAll();
            OperatorRuntime worker = fx.worker(redis.url(), b -> b.concurrency(4).prefetch(16)
                    .visibilityTimeout(Duration.ofSeconds(10)), ledger.handler(Duration.ofMillis(200)));
            SendTask send = SendTask.to(redis, "normal." + FaultFixture.OPERATOR + "." + FaultFixture.VERSION)
                    .serializer("json").timeout(Duration.ofSeconds(150));
            for (int i = 0; i < 120; i++) {
                send.kwargs(Map.of("input_artifacts", List.of(), "options", Map.of("i", i),
                        "meta", Map.of("cancel_key", "never-set-" + i)));
            }
            CompletableFuture<SendTaskResult> python = CompletableFuture.supplyAsync(() -> PYTHON.sendTask(send));
            await().atMost(Duration.ofSeconds(60)).until(() -> ledger.started() >= 8);

            redis.pause();
            await().atMost(Duration.ofSeconds(10)).until(() -> !worker.isRedisReachable());
            await().during(PAUSE.minusSeconds(4)).atMost(PAUSE).until(() -> !worker.isRedisReachable());
            redis.resume();
            long back = System.nanoTime();
            await("ready within 5 s of the resume").atMost(Duration.ofSeconds(5)).until(worker::isRedisReachable);

            SendTaskResult result = python.join();
            List<JsonNode> lines = result.lines();
            assertEquals(120, lines.size(), result.toString());
            int success = 0;
            int failed = 0;
            int lost = 0;
            List<String> bad = new ArrayList<>();
            for (JsonNode line : lines) {
                String state = line.path("state").asText();
                if ("SUCCESS".equals(state) && "success".equals(line.path("result").path("status").asText())) {
                    success++;
                } else if (line.path("error_type").asText().contains("Timeout")) {
                    lost++;
                    bad.add(line.toString());
                } else {
                    failed++;
                    bad.add(line.toString());
                }
            }
            ledger.python(lines.size(), success, failed, lost);
            FaultReport report = ledger.report("redis paused " + PAUSE.toSeconds() + " s, 120 Celery tasks with "
                                               + "cancel keys", Duration.ofSeconds(10), back);
            assertEquals(List.of(), bad);
            report.assertHolds(16);
        }
    }
}
