package io.camelsandai.bridge.avtomatika;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
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
import io.camelsandai.bridge.FakeAvtomatika;
import io.camelsandai.bridge.FakeOperator;
import io.camelsandai.bridge.OperatorTarget;
import io.camelsandai.bridge.StopReport;
import io.camelsandai.bridge.WebSocketFront;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.model.Priority;

/** The Avtomatika worker end to end: strict fake orchestrator over HTTP, real Redis, a Sandai operator. */
class AvtomatikaWorkerTest {
    private static final String GLOBAL = "global-secret-token";
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    private static FakeOperator operator;
    private static OperatorSettings operatorSettings;

    private FakeAvtomatika orchestrator;
    private final List<AvtomatikaWorker> workers = new ArrayList<>();

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
    void startOrchestrator() throws Exception {
        orchestrator = new FakeAvtomatika(GLOBAL);
        orchestrator.pollHoldMillis(200);
    }

    @AfterEach
    void stopAll() {
        workers.forEach(w -> {
            if (w.isRunning()) {
                w.stop();
            }
        });
        orchestrator.close();
    }

    private AvtomatikaConfig.Builder config(String workerId) {
        AvtomatikaConfig.Builder b = AvtomatikaConfig.builder()
                .fromEnvironment(Map.of("ORCHESTRATOR_URL", orchestrator.url(), "WORKER_ID", workerId,
                        "WORKER_TOKEN", GLOBAL)::get)
                .pollTimeout(Duration.ofSeconds(1))
                .heartbeatInterval(Duration.ofMillis(300))
                .shutdownTimeout(Duration.ofSeconds(10))
                .skill(AvtomatikaSkill.of("echo", new OperatorTarget("echo", "v1", Priority.NORMAL, Duration.ofSeconds(20))));
        b.bridge().reportBackoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(500)))
                .fetchBackoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(500)));
        return b;
    }

    private AvtomatikaWorker start(AvtomatikaConfig config) {
        AvtomatikaWorker worker = new AvtomatikaWorker(config, operatorSettings);
        workers.add(worker);
        worker.start();
        return worker;
    }

    private static String uniqueId() {
        return "w-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private JsonNode awaitResult(String taskId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> orchestrator.resultOf(taskId) != null);
        return orchestrator.resultOf(taskId);
    }

    @Test
    void registersHeartbeatsAndMapsEveryOutcome() {
        String id = uniqueId();
        AvtomatikaConfig cfg = config(id).maxConcurrentTasks(4)
                .skillsFromProperties(Map.of("skills.echo-in.operator", "echo", "skills.echo-in.version", "v1",
                        "skills.echo-in.input-slots", "audio", "skills.echo-in.timeout", "20s",
                        "skills.echo-in.cost", "0.5"), "skills")
                .build();
        start(cfg);
        String ok = orchestrator.addTask("echo", Map.of("lang", "en"), null);
        String okWithInput = orchestrator.addTask("echo-in", Map.of("audio", "s3://in/a.wav", "lang", "de"), null);
        String failed = orchestrator.addTask("echo", Map.of("mode", "fail"), null);
        String retryable = orchestrator.addTask("echo", Map.of("mode", "fail_retryable"), null);
        String invalid = orchestrator.addTask("echo", Map.of("mode", "invalid"), null);
        String crash = orchestrator.addTask("echo", Map.of("mode", "crash"), null);
        String badParams = orchestrator.addTask("echo-in", Map.of("audio", 42), null);
        String unknown = orchestrator.addTask("no-such-skill", Map.of(), null);
        String late = orchestrator.addTask("echo", Map.of(), Instant.now().getEpochSecond() - 5.0);

        JsonNode r = awaitResult(ok);
        assertEquals("success", r.path("status").asText());
        assertEquals(id, r.path("worker_id").asText());
        assertEquals("en", r.path("data").path("results").path("echo").path("lang").asText());
        assertEquals("out", r.path("data").path("artifacts").get(0).path("slot").asText());
        assertFalse(r.has("data_metadata"), "no artifact stores configured: no S3 payload convention");
        JsonNode withInput = awaitResult(okWithInput);
        assertEquals(1, withInput.path("data").path("results").path("inputs").asInt());

        assertEquals("PERMANENT_ERROR", awaitResult(failed).path("error").path("code").asText());
        assertEquals("failure", awaitResult(failed).path("status").asText());
        assertEquals("boom", awaitResult(failed).path("error").path("message").asText());
        assertEquals("TRANSIENT_ERROR", awaitResult(retryable).path("error").path("code").asText());
        assertEquals("INVALID_INPUT_ERROR", awaitResult(invalid).path("error").path("code").asText());
        assertEquals("PERMANENT_ERROR", awaitResult(crash).path("error").path("code").asText());
        assertEquals("INVALID_INPUT_ERROR", awaitResult(badParams).path("error").path("code").asText());
        assertEquals("PERMANENT_ERROR", awaitResult(unknown).path("error").path("code").asText());
        assertEquals("TIMEOUT_ERROR", awaitResult(late).path("error").path("code").asText());

        JsonNode registration = orchestrator.registrations.get(id);
        assertNotNull(registration);
        assertEquals("generic", registration.path("worker_type").asText());
        assertEquals(2, registration.path("supported_skills").size());
        assertEquals(0.5, registration.path("capabilities").path("cost_per_skill").path("echo-in").asDouble());
        await().atMost(Duration.ofSeconds(5)).until(() -> !orchestrator.heartbeats.isEmpty());
        JsonNode hb = orchestrator.heartbeats.get(orchestrator.heartbeats.size() - 1);
        assertTrue(hb.path("hot_skills").isArray());
        assertTrue(hb.has("usage"));
        assertTrue(orchestrator.refusals().isEmpty(), () -> "refused: " + orchestrator.refusals());
        assertTrue(orchestrator.requestsWithoutVersion.isEmpty());
    }

    @Test
    void relaysProgressAsSignedEvents() {
        start(config(uniqueId()).build());
        String task = orchestrator.addTask("echo", Map.of("mode", "progress", "sleep_ms", 300), null);
        assertEquals("success", awaitResult(task).path("status").asText());
        await().atMost(Duration.ofSeconds(5)).until(() -> !orchestrator.events.isEmpty());
        JsonNode event = orchestrator.events.get(0);
        assertEquals("progress", event.path("event_type").asText());
        assertEquals(0.5, event.path("payload").path("progress").asDouble());
        assertEquals("half way", event.path("payload").path("message").asText());
        assertEquals(task, event.path("target_task_id").asText());
        assertTrue(orchestrator.refusals().isEmpty(), () -> "refused: " + orchestrator.refusals());
    }

    @Test
    void heartbeatCancelSetsTheSandaiCancelKey() {
        start(config(uniqueId()).build());
        String task = orchestrator.addTask("echo", Map.of("prepare_ms", 2500), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> orchestrator.outstanding() == 1);
        orchestrator.cancelJobOfTask(task);
        JsonNode result = awaitResult(task);
        assertEquals("cancelled", result.path("status").asText());
        await().atMost(Duration.ofSeconds(5)).until(() -> operator.outcomes().containsValue("cancelled"));
    }

    @Test
    void neverHasMoreThanTheLimitInFlightUnderLoad() {
        start(config(uniqueId()).maxConcurrentTasks(4).build());
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tasks.add(orchestrator.addTask("echo", Map.of("i", i, "sleep_ms", 20), null));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> orchestrator.results.size() == 100);
        assertTrue(orchestrator.maxOutstanding() <= 4, "max in flight " + orchestrator.maxOutstanding());
        assertTrue(orchestrator.maxOutstanding() >= 2, "the limit was never used: " + orchestrator.maxOutstanding());
        tasks.forEach(t -> assertEquals(1, orchestrator.resultCount.get(t)));
    }

    @Test
    void perTypeLimitHoldsWithinTheGlobalOne() {
        AvtomatikaConfig cfg = config(uniqueId()).maxConcurrentTasks(4).taskTypeLimit("gpu", 1)
                .skillsFromProperties(Map.of("skills.gpu-echo.operator", "echo", "skills.gpu-echo.version", "v1",
                        "skills.gpu-echo.limit-group", "gpu"), "skills")
                .build();
        start(cfg);
        for (int i = 0; i < 6; i++) {
            orchestrator.addTask("gpu-echo", Map.of("sleep_ms", 150, "lane", "gpu"), null);
            orchestrator.addTask("echo", Map.of("sleep_ms", 150, "lane", "cpu"), null);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> orchestrator.results.size() == 12);
        // The orchestrator of this test does not filter by available_skills, so gpu tasks wait in the worker for
        // their slot; the operator must never run two of them at once, while other tasks use the global slots.
        assertEquals(1, operator.maxComputingIn("gpu"));
        assertTrue(operator.maxComputingIn("cpu") >= 2, "cpu tasks ran beside the gpu one");
        assertTrue(orchestrator.maxOutstanding() <= 4);
        JsonNode busy = orchestrator.heartbeats.stream()
                .filter(h -> !h.path("available_skills").toString().contains("gpu-echo")).findFirst().orElse(null);
        assertNotNull(busy, "a heartbeat while the gpu slot was taken leaves gpu-echo out of available_skills");
    }

    @Test
    void orchestratorDownAndBackLosesNoResult() throws Exception {
        start(config(uniqueId()).maxConcurrentTasks(4).build());
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(orchestrator.addTask("echo", Map.of("sleep_ms", 1500), null));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> orchestrator.outstanding() == 4);
        orchestrator.down();
        int before = operator.finished();
        await().atMost(Duration.ofSeconds(15)).until(() -> operator.finished() >= before + 4);
        assertTrue(workers.get(0).pendingReports() >= 1, "results kept while the orchestrator is away");
        orchestrator.up();
        await().atMost(Duration.ofSeconds(40)).until(() -> orchestrator.results.size() == 8);
        tasks.forEach(t -> assertEquals(1, orchestrator.resultCount.get(t), "each result posted once: " + t));
        await().atMost(Duration.ofSeconds(5)).until(() -> workers.get(0).pendingReports() == 0);
    }

    @Test
    void gracefulStopDrainsThenReportsWhatItCouldNotFinish() {
        AvtomatikaWorker worker = start(config(uniqueId()).maxConcurrentTasks(2).build());
        String a = orchestrator.addTask("echo", Map.of("sleep_ms", 700), null);
        String b = orchestrator.addTask("echo", Map.of("sleep_ms", 700), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> orchestrator.outstanding() == 2);
        StopReport report = worker.stop();
        assertTrue(report.drained());
        assertTrue(report.undelivered().isEmpty());
        assertEquals("success", orchestrator.resultOf(a).path("status").asText());
        assertEquals("success", orchestrator.resultOf(b).path("status").asText());
        JsonNode last = orchestrator.heartbeats.get(orchestrator.heartbeats.size() - 1);
        assertEquals("offline", last.path("status").asText());

        AvtomatikaConfig slow = config(uniqueId()).shutdownTimeout(Duration.ofMillis(500)).build();
        AvtomatikaWorker second = start(slow);
        String c = orchestrator.addTask("echo", Map.of("sleep_ms", 4000), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> orchestrator.outstanding() == 1);
        StopReport cut = second.stop();
        assertFalse(cut.drained());
        assertEquals(List.of(c), cut.abandonedTaskIds());
        JsonNode abandoned = orchestrator.resultOf(c);
        assertEquals("TRANSIENT_ERROR", abandoned.path("error").path("code").asText());
    }

    @Test
    void stopWhileTheOrchestratorIsAwayReturnsTheResultsItCouldNotPost() throws Exception {
        AvtomatikaWorker worker = start(config(uniqueId()).shutdownTimeout(Duration.ofSeconds(1)).build());
        String task = orchestrator.addTask("echo", Map.of("sleep_ms", 500), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> orchestrator.outstanding() == 1);
        orchestrator.down();
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.pendingReports() == 1);
        StopReport report = worker.stop();
        assertTrue(report.drained());
        assertEquals(1, report.undelivered().size());
        assertEquals(task, report.undelivered().get(0).taskId());
        orchestrator.up();
    }

    @Test
    void failsOverToTheNextOrchestrator() throws Exception {
        try (FakeAvtomatika second = new FakeAvtomatika(GLOBAL)) {
            second.pollHoldMillis(200);
            orchestrator.down(); // the first one is away from the start
            String json = "[{\"url\":\"" + orchestrator.url() + "\",\"weight\":100},{\"url\":\"" + second.url()
                          + "\",\"weight\":100}]";
            String id = uniqueId();
            AvtomatikaConfig cfg = config(id).clearOrchestrators()
                    .fromEnvironment(Map.of("ORCHESTRATORS_CONFIG", json, "MULTI_ORCHESTRATOR_MODE", "FAILOVER",
                            "WORKER_ID", id, "WORKER_TOKEN", GLOBAL)::get)
                    .build();
            assertEquals(2, cfg.orchestrators().size());
            start(cfg);
            String task = second.addTask("echo", Map.of("x", 1), null);
            await().atMost(Duration.ofSeconds(20)).until(() -> second.resultOf(task) != null);
            assertEquals("success", second.resultOf(task).path("status").asText());
            workers.get(0).stop();
            orchestrator.up(); // so that @AfterEach can close it
        }
    }

    @Test
    void roundRobinPollsEveryOrchestrator() throws Exception {
        try (FakeAvtomatika second = new FakeAvtomatika(GLOBAL)) {
            second.pollHoldMillis(200);
            String id = uniqueId();
            AvtomatikaConfig cfg = config(id).orchestrator(second.url()).mode(AvtomatikaConfig.Mode.ROUND_ROBIN).build();
            start(cfg);
            String one = orchestrator.addTask("echo", Map.of(), null);
            String two = second.addTask("echo", Map.of(), null);
            await().atMost(Duration.ofSeconds(20)).until(() -> orchestrator.resultOf(one) != null
                                                               && second.resultOf(two) != null);
            assertNotNull(orchestrator.registrations.get(id));
            assertNotNull(second.registrations.get(id));
            workers.get(0).stop();
        }
    }

    /** The real orchestrator answers an expired access token with 403 "Unauthorized: ...", never 401. */
    @Test
    void stsTokensAreObtainedAndRenewedWhenTheOrchestratorRefusesThem() {
        orchestrator.individualToken("sts-worker", "individual-secret");
        AvtomatikaConfig cfg = config("sts-worker").individualToken("individual-secret").useStsTokens(true).build();
        start(cfg);
        String first = orchestrator.addTask("echo", Map.of(), null);
        assertEquals("success", awaitResult(first).path("status").asText());
        assertTrue(orchestrator.stsIssued >= 1);
        orchestrator.expireAccessTokens();
        String second = orchestrator.addTask("echo", Map.of(), null);
        assertEquals("success", awaitResult(second).path("status").asText());
        assertTrue(orchestrator.stsRefreshed >= 1 || orchestrator.stsIssued >= 2);
        assertTrue(orchestrator.refusals().stream().anyMatch(r -> r.startsWith("403") && r.contains("Unauthorized")),
                () -> "the expired token was refused as the orchestrator does: " + orchestrator.refusals());
    }

    @Test
    void lostSkillsAreRestoredByRegisteringAgain() {
        String id = uniqueId();
        start(config(id).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> orchestrator.storedSkills(id) != null
                                                           && !orchestrator.storedSkills(id).isEmpty());
        orchestrator.forgetSkills(id);
        // a heartbeat gets require_full_sync; resending skills in a heartbeat with the same hash would not do
        await().atMost(Duration.ofSeconds(10)).until(() -> orchestrator.fullSyncsRequested.contains(id)
                                                           && !orchestrator.storedSkills(id).isEmpty());
        String task = orchestrator.addTask("echo", Map.of(), null);
        assertEquals("success", awaitResult(task).path("status").asText());
        assertTrue(orchestrator.refusals().isEmpty(), () -> "refused: " + orchestrator.refusals());
    }

    @Test
    void heartbeatsStayWithinTheOrchestratorsRateLimit() {
        // 8 per 3 s here; the real default is 120 a minute, the same two per second
        orchestrator.rateLimit("heartbeat", 8, Duration.ofSeconds(3));
        String id = uniqueId();
        start(config(id).maxConcurrentTasks(4).heartbeatInterval(Duration.ofMillis(100)).build());
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            tasks.add(orchestrator.addTask("echo", Map.of("sleep_ms", 30), null)); // each one changes the load twice
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> orchestrator.results.size() == 30);
        int before = orchestrator.heartbeats.size();
        await().atMost(Duration.ofSeconds(10)).until(() -> orchestrator.heartbeats.size() >= before + 8);
        assertTrue(orchestrator.refusals().stream().noneMatch(r -> r.startsWith("429")),
                () -> "no heartbeat over the limit: " + orchestrator.refusals());
    }

    @Test
    void orchestratorsConfigOrdersByPriorityAndSignsWithEachOrchestratorsToken() throws Exception {
        try (FakeAvtomatika second = new FakeAvtomatika("another-global-token")) {
            second.pollHoldMillis(200);
            String id = uniqueId();
            second.individualToken(id, "own-token-at-second");
            // the second is listed first but has the lower priority; the first is given no priority (10)
            String json = "[{\"url\":\"" + second.url() + "/\",\"priority\":20,\"token\":\"own-token-at-second\"},"
                          + "{\"url\":\"" + orchestrator.url() + "\"}]";
            AvtomatikaConfig cfg = config(id).clearOrchestrators()
                    .fromEnvironment(Map.of("ORCHESTRATORS_CONFIG", json, "MULTI_ORCHESTRATOR_MODE", "waterfall",
                            "WORKER_ID", id, "WORKER_TOKEN", GLOBAL)::get)
                    .build();
            assertEquals(List.of(orchestrator.url(), second.url()),
                    cfg.orchestrators().stream().map(o -> o.url().toString()).toList());
            assertEquals(AvtomatikaConfig.Mode.WATERFALL, cfg.mode());
            assertFalse(cfg.toString().contains("own-token-at-second"));
            start(cfg);
            // waterfall: the first (empty) one is polled, then the second, which has the task
            String task = second.addTask("echo", Map.of("x", 1), null);
            await().atMost(Duration.ofSeconds(20)).until(() -> second.resultOf(task) != null);
            assertEquals("success", second.resultOf(task).path("status").asText());
            assertTrue(second.refusals().isEmpty(), () -> "signed with the second's own token: " + second.refusals());
            assertTrue(orchestrator.refusals().isEmpty(), () -> "refused: " + orchestrator.refusals());
            workers.get(0).stop();
        }
    }

    @Test
    void readsTheWorkerSdksEnvironmentVariables() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("WORKER_ID", "env-worker", "WORKER_TOKEN", "t",
                "TASK_POLL_TIMEOUT", "12.5", "WORKER_SHUTDOWN_TIMEOUT", "7", "COST_PER_SKILL", "{\"echo\": 0.25}",
                "S3_ENDPOINT_URL", "http://minio:9000", "S3_ACCESS_KEY", "AKIA123", "S3_SECRET_KEY", "never-printed",
                "WORKER_HEARTBEAT_DEBOUNCE_DELAY", "0.1"));
        env.put("HEARTBEAT_INTERVAL", "15");
        AvtomatikaConfig cfg = AvtomatikaConfig.builder().fromEnvironment(env::get)
                .skill(AvtomatikaSkill.of("echo", new OperatorTarget("echo", "v1", Priority.NORMAL, null))).build();
        assertEquals(Duration.ofMillis(12500), cfg.pollTimeout());
        assertEquals(Duration.ofSeconds(7), cfg.bridgeSettings().shutdownTimeout());
        assertEquals(Duration.ofMillis(100), cfg.bridgeSettings().heartbeatDebounce());
        assertEquals(Duration.ofSeconds(15), cfg.bridgeSettings().heartbeatInterval());
        assertEquals(0.25, cfg.skills().get("echo").cost());
        assertTrue(cfg.s3PayloadChecks());
        // sha256("http://minio:9000|AKIA123|avtomatika-payloads")[:16], as rxon's calculate_config_hash
        assertEquals("9ae78133d21239a7", cfg.s3ConfigHash());
        assertEquals(List.of("http://localhost:8080"), cfg.orchestrators().stream().map(o -> o.url().toString()).toList());
        assertFalse(cfg.toString().contains("never-printed"));
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AvtomatikaConfig.builder().fromEnvironment(Map.of("MULTI_ORCHESTRATOR_MODE", "SIDEWAYS")::get));
        assertTrue(bad.getMessage().contains("WATERFALL"));
    }

    @Test
    void cancelTaskCommandOverTheWebSocketSetsTheCancelKey() throws Exception {
        String id = uniqueId();
        try (WebSocketFront front = new WebSocketFront(java.net.URI.create(orchestrator.url()).getPort(),
                h -> GLOBAL.equals(h.get("x-worker-token")) && id.equals(h.get("x-worker-id"))
                     && h.get(":path").equals("/_worker/ws/" + id) && h.get("x-rxon-version") != null)) {
            AvtomatikaConfig cfg = config(id).clearOrchestrators().orchestrator(front.url()).websockets(true)
                    .heartbeatInterval(Duration.ofSeconds(30)).build();
            AvtomatikaWorker worker = start(cfg);
            await().atMost(Duration.ofSeconds(10)).until(() -> front.openSockets() == 1);
            assertTrue(orchestrator.registrations.get(id).path("capabilities").path("extra").path("websockets").asBoolean());
            String task = orchestrator.addTask("echo", Map.of("prepare_ms", 2500), null);
            await().atMost(Duration.ofSeconds(10)).until(() -> worker.snapshot().runningTaskIds().contains(task));
            // heartbeats are 30 s apart here: only the command channel can deliver this cancel in time
            front.sendText("{\"command\":\"cancel_task\",\"task_id\":\"" + task + "\",\"job_id\":\"j\"}");
            assertEquals("cancelled", awaitResult(task).path("status").asText());
            worker.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> front.openSockets() == 0);
        }
    }

    @Test
    void wrongTokenNeverRegisters() {
        AvtomatikaConfig cfg = config(uniqueId()).token("not-the-token").build();
        start(cfg);
        await().atMost(Duration.ofSeconds(5)).until(() -> !orchestrator.refusals().isEmpty());
        assertTrue(orchestrator.registrations.isEmpty());
        assertTrue(orchestrator.refusals().get(0).startsWith("403"));
    }

    // ---- the fake is strict: a worker that signs wrongly would be caught ------------------------------------------

    @Test
    void fakeRefusesBadSignatureStaleTimestampAndMissingHeader() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        RxonSigner signer = new RxonSigner(GLOBAL, "probe");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("worker_id", "probe");
        body.put("timestamp", Instant.now().getEpochSecond());
        Map<String, Object> signed = signer.sign(body, false);
        assertEquals(200, post(http, signed, "probe", GLOBAL).statusCode());

        Map<String, Object> tampered = new LinkedHashMap<>(signed);
        tampered.put("worker_type", "changed-after-signing");
        HttpResponse<String> bad = post(http, tampered, "probe", GLOBAL);
        assertEquals(403, bad.statusCode());
        assertTrue(bad.body().contains("\"error\""));

        Map<String, Object> stale = new LinkedHashMap<>(body);
        stale.put("timestamp", Instant.now().getEpochSecond() - 61);
        assertEquals(403, post(http, signer.sign(stale, false), "probe", GLOBAL).statusCode());

        Map<String, Object> unsigned = new LinkedHashMap<>(body);
        assertEquals(403, post(http, unsigned, "probe", GLOBAL).statusCode());

        assertEquals(403, post(http, signed, "probe", null).statusCode());
        assertEquals(403, post(http, signed, "someone-else", GLOBAL).statusCode(), "sender id mismatch");
    }

    private HttpResponse<String> post(HttpClient http, Map<String, Object> body, String workerId, String token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(orchestrator.url() + "/_worker/workers/register"))
                .header("X-Worker-ID", workerId).header("X-RXON-Version", "1.0b14")
                .POST(HttpRequest.BodyPublishers.ofByteArray(RxonSigner.canonicalBytes(RxonSigner.normalize(body))));
        if (token != null) {
            b.header("X-Worker-Token", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
