package io.camelsandai.bridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.bridge.avtomatika.AvtomatikaConfig;
import io.camelsandai.bridge.avtomatika.AvtomatikaSkill;
import io.camelsandai.bridge.avtomatika.AvtomatikaWorker;
import io.camelsandai.bridge.gyoza.GyozaConfig;
import io.camelsandai.bridge.gyoza.GyozaWorker;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.operator.OperatorFailure;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.operator.OperatorRuntimeSettings;
import io.camelsandai.operator.OperatorTask;
import io.camelsandai.testsupport.RedisServerExtension;

/** Both bridges against this project's own operator runtime (the consumer side) on a real Redis. */
class OwnRuntimeBridgeTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    private static OperatorRuntime runtime;
    private static OperatorSettings connection;

    @BeforeAll
    static void startRuntime() {
        connection = OperatorSettings.builder().environment(k -> null).brokerUrl(REDIS.url()).build();
        runtime = new OperatorRuntime(OperatorRuntimeSettings.builder("java-op", "v1").connection(connection)
                .concurrency(8).build(), OwnRuntimeBridgeTest::handle);
        runtime.start();
    }

    @AfterAll
    static void stopRuntime() {
        runtime.close();
    }

    private static CompletableFuture<OperatorResult> handle(OperatorTask task) {
        Map<String, Object> options = task.request().options();
        return CompletableFuture.supplyAsync(() -> {
            if (options.containsKey("fail")) {
                throw new OperatorFailure("Upstream", "upstream said no", Boolean.TRUE.equals(options.get("fail")));
            }
            task.progress(40, "working");
            long sleep = options.get("sleep_ms") instanceof Number n ? n.longValue() : 0;
            if (sleep > 0) {
                try {
                    TimeUnit.MILLISECONDS.sleep(sleep); // simulated compute time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return OperatorResult.success(List.of(Artifact.of("s3://out/" + task.taskId(), "result")),
                    Map.of("echo", options));
        });
    }

    @Test
    void avtomatikaOverTheOwnRuntime() throws Exception {
        try (FakeAvtomatika orchestrator = new FakeAvtomatika("tok")) {
            orchestrator.pollHoldMillis(200);
            AvtomatikaWorker worker = new AvtomatikaWorker(AvtomatikaConfig.builder().orchestrator(orchestrator.url())
                    .workerId("own-1").token("tok").maxConcurrentTasks(4).pollTimeout(Duration.ofSeconds(1))
                    .heartbeatInterval(Duration.ofMillis(300))
                    .skill(AvtomatikaSkill.of("run", new OperatorTarget("java-op", "v1", Priority.NORMAL,
                            Duration.ofSeconds(30))))
                    .build(), connection);
            worker.start();
            try {
                String ok = orchestrator.addTask("run", Map.of("k", "v"), null);
                String retryable = orchestrator.addTask("run", Map.of("fail", true), null);
                String permanent = orchestrator.addTask("run", Map.of("fail", false), null);
                for (int i = 0; i < 30; i++) {
                    orchestrator.addTask("run", Map.of("i", i, "sleep_ms", 30), null);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> orchestrator.results.size() == 33);
                JsonNode success = orchestrator.resultOf(ok);
                assertEquals("v", success.path("data").path("results").path("echo").path("k").asText());
                assertEquals("TRANSIENT_ERROR", orchestrator.resultOf(retryable).path("error").path("code").asText());
                assertEquals("PERMANENT_ERROR", orchestrator.resultOf(permanent).path("error").path("code").asText());
                assertTrue(orchestrator.maxOutstanding() <= 4);
                assertTrue(orchestrator.refusals().isEmpty(), () -> orchestrator.refusals().toString());
            } finally {
                worker.stop();
            }
        }
    }

    @Test
    void gyozaOverTheOwnRuntime() throws Exception {
        try (FakeGyoza gyoza = new FakeGyoza("key")) {
            gyoza.claimBatch(2);
            GyozaWorker worker = new GyozaWorker(GyozaConfig.builder().baseUrl(gyoza.url()).apiKey("key")
                    .workerId("own-g").maxConcurrentTasks(4).claimInterval(Duration.ofMillis(50))
                    .op(OperatorBinding.of("job", new OperatorTarget("java-op", "v1", Priority.NORMAL,
                            Duration.ofSeconds(30))))
                    .build(), connection);
            worker.start();
            try {
                String ok = gyoza.addRun("job", "1", null, Map.of("sleep_ms", 200));
                String failed = gyoza.addRun("job", "1", null, Map.of("fail", false));
                for (int i = 0; i < 30; i++) {
                    gyoza.addRun("job", "1", null, Map.of("i", i, "sleep_ms", 30));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> gyoza.count("COMPLETED") == 31
                                                                   && gyoza.count("FAILED") == 1);
                assertEquals(List.of("STARTED", "PROGRESS", "COMPLETED"), gyoza.eventTypes(ok));
                assertEquals("upstream said no",
                        gyoza.run(failed).events.get(1).path("payload").path("error_message").asText());
                assertTrue(gyoza.maxRunning() <= 4);
                assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
            } finally {
                worker.stop();
            }
        }
    }
}
