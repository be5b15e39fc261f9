package io.camelsandai.bridge.gyoza;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.util.Backoff;
import io.camelsandai.bridge.FakeGyoza;
import io.camelsandai.bridge.FakeOperator;
import io.camelsandai.bridge.StopReport;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.testsupport.RedisServerExtension;
import redis.clients.jedis.Jedis;

/** The gyoza worker end to end: strict fake gyoza server over HTTP, real Redis, a Sandai operator. */
class GyozaWorkerTest {
    private static final String KEY = "gyoza-api-key";
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    private static FakeOperator operator;
    private static OperatorSettings operatorSettings;

    private FakeGyoza gyoza;
    private final List<GyozaWorker> workers = new ArrayList<>();

    @BeforeAll
    static void startRedisAndOperator() throws Exception {
        operator = new FakeOperator(REDIS.host(), REDIS.port(), "echo", "v1", 8);
        operatorSettings = OperatorSettings.builder().environment(k -> null).brokerUrl(REDIS.url()).build();
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
    }

    @BeforeEach
    void startGyoza() throws Exception {
        gyoza = new FakeGyoza(KEY);
    }

    @AfterEach
    void stopAll() {
        workers.forEach(w -> {
            if (w.isRunning()) {
                w.stop();
            }
        });
        gyoza.close();
    }

    private GyozaConfig.Builder config(String apiKey) {
        return config(apiKey, "gw-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private GyozaConfig.Builder config(String apiKey, String workerId) {
        GyozaConfig.Builder b = GyozaConfig.builder().baseUrl(gyoza.url()).apiKey(apiKey)
                .workerId(workerId).tag("cpu")
                .claimInterval(Duration.ofMillis(50)).heartbeatInterval(Duration.ofMillis(300))
                .shutdownTimeout(Duration.ofSeconds(10))
                .opsFromProperties(Map.of(
                        "ops.echo-def.operator", "echo", "ops.echo-def.version", "v1", "ops.echo-def.timeout", "20",
                        "ops.by-image.operator", "echo", "ops.by-image.version", "v1",
                        "ops.by-image.definition", "-", "ops.by-image.image", "registry.local/echo:1",
                        "ops.with-input.operator", "echo", "ops.with-input.version", "v1",
                        "ops.with-input.input-slots", "video"), "ops");
        b.bridge().reportBackoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(500)))
                .fetchBackoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(500)));
        return b;
    }

    private GyozaWorker start(GyozaConfig config) {
        GyozaWorker worker = new GyozaWorker(config, operatorSettings);
        workers.add(worker);
        worker.start();
        return worker;
    }

    private void awaitState(String runId, String state) {
        await().atMost(Duration.ofSeconds(20)).alias(runId + " reaches " + state)
                .until(() -> gyoza.run(runId).state.equals(state));
    }

    @Test
    void completesWithOutputsAfterStartedAndProgress() {
        start(config(KEY).build());
        String run = gyoza.addRun("echo-def", "1.0", "registry.local/other:2", Map.of("mode", "progress",
                "sleep_ms", 300, "lang", "fr"));
        awaitState(run, "COMPLETED");
        assertEquals(List.of("STARTED", "PROGRESS", "COMPLETED"), gyoza.eventTypes(run));
        JsonNode progress = gyoza.run(run).events.get(1);
        assertEquals(50, progress.path("msg").asInt());
        JsonNode outputs = gyoza.run(run).events.get(2).path("payload").path("outputs");
        assertEquals("fr", outputs.path("results").path("echo").path("lang").asText());
        assertEquals("out", outputs.path("artifacts").get(0).path("slot").asText());
        assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
        JsonNode hb = gyoza.heartbeats.get(0);
        assertTrue(hb.path("resources").has("cpu_cores"));
        assertEquals("cpu", hb.path("tags").get(0).asText());
        assertTrue(gyoza.heartbeats.stream().anyMatch(h -> h.path("running_ops").toString().contains(run)),
                "a heartbeat listed the running op");
    }

    @Test
    void mapsByImageAndInputSlots() {
        start(config(KEY).build());
        String byImage = gyoza.addRun("unknown-def", "9", "registry.local/echo:1", Map.of("x", 1));
        String withInput = gyoza.addRun("with-input", "1", null, Map.of("video", List.of("s3://a/1.mp4", "s3://a/2.mp4")));
        awaitState(byImage, "COMPLETED");
        awaitState(withInput, "COMPLETED");
        JsonNode outputs = gyoza.run(withInput).events.get(1).path("payload").path("outputs");
        assertEquals(2, outputs.path("results").path("inputs").asInt());
    }

    @Test
    void failuresBecomeFailedWithErrorMessage() {
        start(config(KEY).maxConcurrentTasks(3).build());
        String failed = gyoza.addRun("echo-def", "1", null, Map.of("mode", "fail"));
        String crashed = gyoza.addRun("echo-def", "1", null, Map.of("mode", "crash"));
        String unmapped = gyoza.addRun("nobody-serves-this", "1", "nobody/image:1", Map.of());
        String badInput = gyoza.addRun("with-input", "1", null, Map.of("video", 12));
        for (String run : List.of(failed, crashed, unmapped, badInput)) {
            awaitState(run, "FAILED");
            assertEquals(List.of("STARTED", "FAILED"), gyoza.eventTypes(run));
        }
        assertEquals("boom", gyoza.run(failed).events.get(1).path("payload").path("error_message").asText());
        assertTrue(gyoza.run(unmapped).events.get(1).path("payload").path("error_message").asText()
                .contains("nobody-serves-this"));
        assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
    }

    @Test
    void cancelSetsTheCancelKey() {
        GyozaWorker worker = start(config(KEY).build());
        String run = gyoza.addRun("echo-def", "1", null, Map.of("prepare_ms", 2000));
        awaitState(run, "RUNNING");
        await().atMost(Duration.ofSeconds(5)).until(() -> worker.cancel(run));
        awaitState(run, "CANCELLED");
    }

    @Test
    void withoutTheApiKeyNothingIsClaimed() {
        start(config(null).build());
        String run = gyoza.addRun("echo-def", "1", null, Map.of());
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
                .until(() -> gyoza.run(run).state.equals("PENDING"));
        assertTrue(gyoza.heartbeats.isEmpty());
    }

    @Test
    void neverMoreThanTheLimitRunningUnderLoad() {
        gyoza.claimBatch(3); // claims may bring more ops than free slots: they wait in the worker
        start(config(KEY).maxConcurrentTasks(4).build());
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            runs.add(gyoza.addRun("echo-def", "1", null, Map.of("i", i, "sleep_ms", 20)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> gyoza.count("COMPLETED") == 100);
        assertTrue(gyoza.maxRunning() <= 4, "max running " + gyoza.maxRunning());
        assertTrue(gyoza.maxRunning() >= 2, "the limit was never used");
        assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
    }

    @Test
    void serverDownAndBackLosesNoEvent() throws Exception {
        GyozaWorker worker = start(config(KEY).maxConcurrentTasks(3).build());
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            runs.add(gyoza.addRun("echo-def", "1", null, Map.of("sleep_ms", 1500)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gyoza.count("RUNNING") == 3);
        gyoza.down();
        int before = operator.finished();
        await().atMost(Duration.ofSeconds(15)).until(() -> operator.finished() >= before + 3);
        assertTrue(worker.pendingReports() >= 1);
        gyoza.up();
        await().atMost(Duration.ofSeconds(40)).until(() -> gyoza.count("COMPLETED") == 6);
        runs.forEach(r -> assertEquals(List.of("STARTED", "COMPLETED"), gyoza.eventTypes(r)));
        assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
    }

    @Test
    void gracefulStopLetsRunningOpsFinish() {
        GyozaWorker worker = start(config(KEY).maxConcurrentTasks(2).build());
        String a = gyoza.addRun("echo-def", "1", null, Map.of("sleep_ms", 700));
        String b = gyoza.addRun("echo-def", "1", null, Map.of("sleep_ms", 700));
        await().atMost(Duration.ofSeconds(10)).until(() -> gyoza.count("RUNNING") == 2);
        StopReport report = worker.stop();
        assertTrue(report.drained());
        assertEquals("COMPLETED", gyoza.run(a).state);
        assertEquals("COMPLETED", gyoza.run(b).state);
        assertFalse(worker.isRunning());
        String later = gyoza.addRun("echo-def", "1", null, Map.of());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> gyoza.run(later).state.equals("PENDING"));
    }

    // ---- conformance fixes -------------------------------------------------------------------------------------

    @Test
    void failedPayloadIsExactlyErrorMessage() {
        start(config(KEY).build());
        String failed = gyoza.addRun("echo-def", "1", null, Map.of("mode", "fail"));
        awaitState(failed, "FAILED");
        JsonNode event = gyoza.run(failed).events.get(1);
        assertEquals(List.of("error_message"), fieldNames(event.path("payload")));
        assertEquals("boom", event.path("payload").path("error_message").asText());
        assertTrue(event.path("msg").asText().contains("BoomError"), "the error type stays visible in msg");
    }

    @Test
    void workerIdIsOneEncodedPathSegment() {
        start(config(KEY, "gpu box/1").build());
        String run = gyoza.addRun("echo-def", "1", null, Map.of());
        awaitState(run, "COMPLETED");
        assertEquals("gpu box/1", gyoza.claims.get(0));
    }

    @Test
    void announcesItselfAgainWhenTheServerForgetsTheWorker() {
        // no periodic heartbeat during the test: only the claim's 404 can make the worker announce itself again
        start(config(KEY).heartbeatInterval(Duration.ofMinutes(10)).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> gyoza.heartbeats.size() >= 2); // open + first heartbeat
        gyoza.forgetWorkers(); // a restarted server: claims get 404 until the worker heartbeats again
        String run = gyoza.addRun("echo-def", "1", null, Map.of());
        awaitState(run, "COMPLETED");
        assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
    }

    /** Cancelled on the server while the operator task waits before compute: the cancel key stops it there. */
    @Test
    void runCancelledOnTheServerBeforeComputeIsNotComputedAndPostsNothingMore() {
        GyozaWorker worker = start(config(KEY).build());
        long cancelledBefore = cancelledOutcomes();
        String run = gyoza.addRun("echo-def", "1", null, Map.of("prepare_ms", 3000));
        awaitState(run, "RUNNING");
        gyoza.cancelRun(run);
        await().atMost(Duration.ofSeconds(10)).until(() -> cancelledOutcomes() == cancelledBefore + 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.snapshot().inFlight() == 0);
        assertEquals(List.of("STARTED"), gyoza.eventTypes(run));
        assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
    }

    /**
     * Cancelled on the server while the operator computes: the cancel key is set, but the operator checks it only
     * before compute, so the work runs to its end; the slot stays held until it answers and nothing more is posted.
     */
    @Test
    void runCancelledOnTheServerWhileComputingRunsToItsEndAndPostsNothingMore() {
        GyozaWorker worker = start(config(KEY).build());
        long successesBefore = successOutcomes();
        String run = gyoza.addRun("echo-def", "1", null, Map.of("mode", "progress", "sleep_ms", 2000));
        await().atMost(Duration.ofSeconds(10)).until(() -> gyoza.eventTypes(run).contains("PROGRESS"));
        gyoza.cancelRun(run);
        try (Jedis jedis = new Jedis(REDIS.host(), REDIS.port())) {
            await().atMost(Duration.ofSeconds(5)).alias("the cancel key is set")
                    .until(() -> jedis.exists("sandai:cancel:gyoza:" + run));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> worker.snapshot().inFlight() == 0);
        assertEquals(successesBefore + 1, successOutcomes(), "the operator computed to its end before the slot freed");
        assertEquals(List.of("STARTED", "PROGRESS"), gyoza.eventTypes(run));
        assertEquals("CANCELLED", gyoza.run(run).state);
        assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
    }

    /** One PROGRESS of the operator is one post, although the result waiter re-reads the state while it waits. */
    @Test
    void eachProgressChangeIsPostedOnce() {
        start(config(KEY).build());
        String run = gyoza.addRun("echo-def", "1", null, Map.of("mode", "progress", "sleep_ms", 3000));
        awaitState(run, "COMPLETED");
        assertEquals(List.of("STARTED", "PROGRESS", "COMPLETED"), gyoza.eventTypes(run));
        assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
    }

    private static long successOutcomes() {
        return operator.outcomes().values().stream().filter("success"::equals).count();
    }

    private static long cancelledOutcomes() {
        return operator.outcomes().values().stream().filter("cancelled"::equals).count();
    }

    @Test
    void startedWhoseAnswerWasLostStillRunsTheOp() {
        start(config(KEY).requestTimeout(Duration.ofMillis(300)).build());
        String run = gyoza.addRun("echo-def", "1", null, Map.of("wait", "for me"));
        gyoza.slowStartedAnswer(run, Duration.ofMillis(1500));
        awaitState(run, "COMPLETED");
        assertEquals(List.of("STARTED", "COMPLETED"), gyoza.eventTypes(run));
        assertTrue(gyoza.violations.isEmpty(), () -> "STARTED was not sent twice: " + gyoza.violations);
    }

    @Test
    void eventAnswersThatAreNotJsonCountAsDelivered() {
        gyoza.plainTextEventAnswers(true);
        start(config(KEY).build());
        String run = gyoza.addRun("echo-def", "1", null, Map.of());
        awaitState(run, "COMPLETED");
        assertEquals(List.of("STARTED", "COMPLETED"), gyoza.eventTypes(run));
        assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
    }

    @Test
    void aClaimAnsweredWithABareListIsRead() {
        gyoza.bareListClaims(true);
        start(config(KEY).build());
        String run = gyoza.addRun("echo-def", "1", null, Map.of());
        awaitState(run, "COMPLETED");
        assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
    }

    @Test
    void opWithoutInputsFailsClearly() {
        start(config(KEY).build());
        String run = gyoza.addOp(Map.of("definition", "echo-def", "version", "1"));
        awaitState(run, "FAILED");
        assertTrue(gyoza.run(run).events.get(1).path("payload").path("error_message").asText().contains("no inputs"));
        assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
    }

    @Test
    void aRunHandedOutAgainWhileItRunsIsIgnored() {
        start(config(KEY).maxConcurrentTasks(2).build());
        String run = gyoza.addRun("echo-def", "1", null, Map.of("sleep_ms", 1500));
        awaitState(run, "RUNNING");
        int claims = gyoza.claims.size();
        gyoza.handOutAgain(run);
        await().atMost(Duration.ofSeconds(5)).until(() -> gyoza.claims.size() > claims + 1);
        awaitState(run, "COMPLETED");
        assertEquals(List.of("STARTED", "COMPLETED"), gyoza.eventTypes(run));
        assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
    }

    @Test
    void resourcesAreCheckedAndSentAsGiven() {
        Map<String, Object> gpu = new LinkedHashMap<>();
        gpu.put("id", 0);
        gpu.put("vram_mb", 24576);
        start(config(KEY).resources(Map.of("cpu_cores", 8, "ram_mb", "16384", "gpus", List.of(gpu))).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> !gyoza.heartbeats.isEmpty());
        JsonNode resources = gyoza.heartbeats.get(0).path("resources");
        assertEquals(8, resources.path("cpu_cores").asInt());
        assertEquals(16384, resources.path("ram_mb").asInt());
        assertEquals(24576, resources.path("gpus").get(0).path("vram_mb").asInt());
        assertTrue(resources.path("gpus").get(0).path("tags").isArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config(KEY).resourcesJson("{\"gpus\": [{\"id\": \"first\", \"vram_mb\": 1}]}").build());
        assertTrue(e.getMessage().contains("resources.gpus[0].id"), e.getMessage());
    }

    @Test
    void anImageWithoutTagMatchesEveryTag() {
        assertTrue(GyozaProtocol.imageMatches("registry.local:5000/echo", "registry.local:5000/echo:2"));
        assertTrue(GyozaProtocol.imageMatches("echo", "echo@sha256:abc"));
        assertTrue(GyozaProtocol.imageMatches("echo:1", "echo:1"));
        assertFalse(GyozaProtocol.imageMatches("echo:1", "echo:2"));
        assertFalse(GyozaProtocol.imageMatches("registry.local:5000/echo", "registry.local:5000/echo-x:1"));
    }

    @Test
    void nestedWorkerOpRunShapesAreRead() {
        GyozaOp nested = GyozaOp.fromMap(Map.of("op_run", Map.of("id", "r-1", "inputs", Map.of("a", 1)),
                "definition", Map.of("name", "echo-def", "version", "2", "image", "echo:2")));
        assertEquals("r-1", nested.runId());
        assertEquals(Map.of("a", 1), nested.inputsMap());
        assertEquals("echo-def", nested.definition());
        assertEquals("2", nested.version());
        assertEquals("echo:2", nested.image());
        GyozaOp flat = GyozaOp.fromMap(Map.of("id", "w-9", "run_id", "r-2", "definition_name", "x", "inputs", List.of()));
        assertEquals("r-2", flat.runId());
        assertNull(flat.inputsMap());

        start(config(KEY).build());
        String run = gyoza.addOpAsIs("r-nested-1", Map.of("id", "assignment-7", "op_run",
                Map.of("id", "r-nested-1", "inputs", Map.of("lang", "de")), "definition", Map.of("name", "echo-def")));
        awaitState(run, "COMPLETED");
    }

    @Test
    void opsWaitingForASlotAtStopAreStartedThenFailed() {
        gyoza.claimBatch(3);
        GyozaWorker worker = start(config(KEY).maxConcurrentTasks(1).build());
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(gyoza.addRun("echo-def", "1", null, Map.of("sleep_ms", 1000)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gyoza.count("RUNNING") == 1 && gyoza.count("ASSIGNED") == 2);
        worker.stop();
        assertEquals(1, gyoza.count("COMPLETED"));
        assertEquals(2, gyoza.count("FAILED"));
        runs.stream().filter(r -> gyoza.run(r).state.equals("FAILED"))
                .forEach(r -> assertEquals(List.of("STARTED", "FAILED"), gyoza.eventTypes(r)));
        assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
