package io.camelsandai.bridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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
import io.camelsandai.model.Priority;
import io.camelsandai.testsupport.CeleryWorker;
import io.camelsandai.testsupport.CeleryWorkerOptions;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RedisServerExtension;

/**
 * Both bridges against a stock Python Celery worker that behaves as a Sandai operator ({@code sandai_test_worker.py}):
 * the outcomes, progress and cancellation come from a real peer, not from our own responder.
 */
class PythonOperatorBridgeTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    private static CeleryWorker celery;
    private static OperatorSettings operatorSettings;

    @BeforeAll
    static void startOperator() {
        celery = PYTHON.startWorker(CeleryWorkerOptions.builder().redis(REDIS).operator("py-op", "v1")
                .pool(CeleryWorkerOptions.Pool.THREADS).concurrency(4).build());
        operatorSettings = OperatorSettings.builder().environment(k -> null).brokerUrl(REDIS.url()).build();
    }

    @AfterAll
    static void stopOperator() {
        celery.close();
    }

    @Test
    void avtomatikaOutcomesFromThePythonOperator() throws Exception {
        try (FakeAvtomatika orchestrator = new FakeAvtomatika("tok")) {
            orchestrator.pollHoldMillis(200);
            AvtomatikaConfig.Builder b = AvtomatikaConfig.builder().orchestrator(orchestrator.url()).workerId("py-w1")
                    .token("tok").maxConcurrentTasks(4).pollTimeout(Duration.ofSeconds(1))
                    .heartbeatInterval(Duration.ofMillis(300)).shutdownTimeout(Duration.ofSeconds(10))
                    .skill(AvtomatikaSkill.of("clip", new OperatorTarget("py-op", "v1", Priority.HIGH,
                            Duration.ofSeconds(30))));
            AvtomatikaWorker worker = new AvtomatikaWorker(b.build(), operatorSettings);
            worker.start();
            try {
                String ok = orchestrator.addTask("clip", Map.of("input_artifacts",
                        List.of(Map.of("uri", "s3://in/a.mp4", "slot", "video")), "options", Map.of("progress", true,
                                "sleep", 0.3, "lang", "ja")), null);
                String transientFail = orchestrator.addTask("clip", Map.of("options",
                        Map.of("fail", Map.of("type", "Upstream", "retryable", true))), null);
                String permanentFail = orchestrator.addTask("clip", Map.of("options", Map.of("fail", Map.of())), null);
                String crash = orchestrator.addTask("clip", Map.of("options", Map.of("raise", "bad")), null);
                String cancelled = orchestrator.addTask("clip", Map.of("options", Map.of("sleep", 3)), null);
                await().atMost(Duration.ofSeconds(15)).until(() -> worker.snapshot().runningTaskIds().contains(cancelled));
                orchestrator.cancelJobOfTask(cancelled);

                await().atMost(Duration.ofSeconds(30)).until(() -> orchestrator.results.size() == 5);
                JsonNode success = orchestrator.resultOf(ok);
                assertEquals("success", success.path("status").asText());
                assertEquals("ja", success.path("data").path("results").path("echo").path("lang").asText());
                assertEquals(1, success.path("data").path("results").path("input_count").asInt());
                assertEquals("high", success.path("data").path("results").path("meta").path("priority").asText());
                assertEquals("avtomatika:" + ok,
                        success.path("data").path("results").path("meta").path("cancel_key").asText());
                assertEquals("clip", success.path("data").path("artifacts").get(0).path("slot").asText());
                assertEquals("TRANSIENT_ERROR", orchestrator.resultOf(transientFail).path("error").path("code").asText());
                assertEquals("PERMANENT_ERROR", orchestrator.resultOf(permanentFail).path("error").path("code").asText());
                assertEquals("PERMANENT_ERROR", orchestrator.resultOf(crash).path("error").path("code").asText());
                assertEquals("cancelled", orchestrator.resultOf(cancelled).path("status").asText());
                assertTrue(orchestrator.events.stream().anyMatch(e -> ok.equals(e.path("target_task_id").asText())),
                        "progress event relayed");
                assertTrue(orchestrator.refusals().isEmpty(), () -> orchestrator.refusals().toString());
            } finally {
                worker.stop();
            }
        }
    }

    @Test
    void gyozaRunsFromThePythonOperator() throws Exception {
        try (FakeGyoza gyoza = new FakeGyoza(null)) {
            GyozaConfig config = GyozaConfig.builder().baseUrl(gyoza.url()).workerId("py-g1").maxConcurrentTasks(2)
                    .claimInterval(Duration.ofMillis(50)).heartbeatInterval(Duration.ofMillis(300))
                    .op(new OperatorBinding("clipper", new OperatorTarget("py-op", "v1", Priority.NORMAL,
                            Duration.ofSeconds(30)), null, java.util.Set.of("video"), Map.of()))
                    .build();
            GyozaWorker worker = new GyozaWorker(config, operatorSettings);
            worker.start();
            try {
                String ok = gyoza.addRun("clipper", "1", null, Map.of("video", "s3://in/v.mp4", "progress", true,
                        "sleep", 0.3));
                String failed = gyoza.addRun("clipper", "1", null, Map.of("fail", Map.of("message", "no codec")));
                await().atMost(Duration.ofSeconds(30)).until(() -> gyoza.run(ok).state.equals("COMPLETED")
                                                                   && gyoza.run(failed).state.equals("FAILED"));
                assertEquals(List.of("STARTED", "PROGRESS", "COMPLETED"), gyoza.eventTypes(ok));
                assertEquals("no codec", gyoza.run(failed).events.get(1).path("payload").path("error_message").asText());
                assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
            } finally {
                worker.stop();
            }
        }
    }
}
