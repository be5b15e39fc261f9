package io.camelsandai.bridge.templates;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.artifact.ArtifactStores;
import io.camelsandai.artifact.S3ProxyServer;
import io.camelsandai.bridge.FakeAvtomatika;
import io.camelsandai.bridge.FakeGyoza;
import io.camelsandai.bridge.runqy.AsynqEnqueuer;
import io.camelsandai.bridge.runqy.FakeRunqyServer;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.component.SandaiConstants;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskExecutionException;
import io.camelsandai.model.TaskStatus;
import io.camelsandai.operator.OperatorFailure;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.testsupport.TlsMaterial;
import redis.clients.jedis.Jedis;

/**
 * Each route template instantiated with TemplatedRouteBuilder against a real Redis: one success and one failure
 * end to end, graceful stop of the bridge workers with the route, and the runqy pool's readiness check. The Sandai
 * operator {@code echo:v1} is served by a {@code sandai:} consumer route of the same CamelContext.
 */
class SandaiBridgeTemplatesTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "global-secret-token";

    private static CamelContext context;
    private static ProducerTemplate producer;
    /** Tasks with option block=true wait on this latch inside the echo operator. */
    private static volatile CountDownLatch release = new CountDownLatch(0);
    private static final CountDownLatch[] entered = {new CountDownLatch(1)};

    private String routeId;

    @BeforeAll
    static void startCamel() throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new SandaiBridgeTemplates());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("sandai:echo:v1?brokerUrl=" + REDIS.url() + "&concurrency=8").routeId("echo-operator")
                        .process(SandaiBridgeTemplatesTest::echo);
            }
        });
        context.start();
        producer = context.createProducerTemplate();
    }

    @AfterAll
    static void stopCamel() {
        context.stop();
    }

    @AfterEach
    void removeRoute() throws Exception {
        release.countDown();
        if (routeId != null && context.getRoute(routeId) != null) {
            context.getRouteController().stopRoute(routeId);
            context.removeRoute(routeId);
        }
    }

    /** The echo operator: answers its options, fails with option fail, waits for the latch with option block. */
    private static void echo(Exchange exchange) throws Exception {
        OperatorRequest request = exchange.getMessage().getBody(OperatorRequest.class);
        Map<String, Object> options = request.options();
        if (options.containsKey("fail")) {
            throw new OperatorFailure("Boom", String.valueOf(options.get("fail")), false);
        }
        if (Boolean.TRUE.equals(options.get("progress"))) {
            io.camelsandai.component.SandaiProgress.report(exchange, 40, "working");
        }
        if (Boolean.TRUE.equals(options.get("block"))) {
            entered[0].countDown();
            boolean released = release.await(20, TimeUnit.SECONDS);
            org.slf4j.LoggerFactory.getLogger(SandaiBridgeTemplatesTest.class).info("blocked task released={}", released);
            assertTrue(released, "the test released the blocked task");
        }
        exchange.getMessage().setBody(OperatorResult.success(List.of(), Map.of("echo", options)));
    }

    private static void blockNextTask() {
        release = new CountDownLatch(1);
        entered[0] = new CountDownLatch(1);
    }

    /**
     * Stops the route in the background, releases the blocked task once the worker stopped taking tasks (its
     * polling thread ended), and waits for the stop.
     */
    private void stopWhileATaskRuns(String pollThread) throws Exception {
        assertTrue(entered[0].await(20, TimeUnit.SECONDS), "the task reached the operator");
        CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
            try {
                context.getRouteController().stopRoute(routeId);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitNoThread(pollThread);
        assertFalse(stop.isDone(), "stopping the route waits for the task in flight");
        org.slf4j.LoggerFactory.getLogger(SandaiBridgeTemplatesTest.class).info("releasing");
        release.countDown();
        stop.get(60, TimeUnit.SECONDS);
    }

    private static void awaitNoThread(String prefix) {
        await().atMost(WAIT).alias("no thread named " + prefix + "* is left")
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.isAlive() && t.getName().startsWith(prefix)));
    }

    private Exchange callOperator(String name, Map<String, Object> options) {
        return producer.send("sandai:" + name + ":v1?brokerUrl=" + REDIS.url() + "&timeout=30s", ExchangePattern.InOut,
                e -> e.getMessage().setBody(OperatorRequest.of(List.of(), options)));
    }

    private static Path handlerScript() throws URISyntaxException {
        return Path.of(SandaiBridgeTemplatesTest.class.getResource("/runqy/runqy_handler.py").toURI());
    }

    // ---- 1. sandai-runqy-handler ----------------------------------------------------------------------------------

    @Test
    void runqyHandlerServesAnOperatorAndReportsDegradedPool() throws Exception {
        routeId = "runqy-handler";
        TemplatedRouteBuilder.builder(context, SandaiBridgeTemplates.RUNQY_HANDLER).routeId(routeId)
                .parameter("operatorName", "runqy-op").parameter("operatorVersion", "v1")
                .parameter("command", "/usr/bin/python3 " + handlerScript())
                .parameter("workingDir", handlerScript().getParent().toString())
                .parameter("processes", "1").parameter("mode", "long-running")
                .parameter("startupTimeout", "15s").parameter("taskTimeout", "15s")
                .parameter("maxRestarts", "3").parameter("restartCooldown", "10s").parameter("restartBackoff", "1s")
                .parameter("brokerUrl", REDIS.url()).parameter("sandaiOptions", "&description=runqy handler")
                .add();

        Exchange ok = callOperator("runqy-op", Map.of("clip", 3));
        assertNull(ok.getException());
        OperatorResult result = ok.getProperty(SandaiConstants.RESULT_PROPERTY, OperatorResult.class);
        assertEquals(TaskStatus.SUCCESS, result.status());
        assertEquals(Map.of("clip", 3L), result.results().get("echo"));

        Exchange raised = callOperator("runqy-op", Map.of("raise", "bad input"));
        TaskExecutionException failure = assertInstanceOf(TaskExecutionException.class, raised.getException());
        assertEquals("HandlerError", failure.errorType());
        assertEquals("bad input", failure.errorMessage());

        HealthCheck readiness = HealthCheckRegistry.get(context).getCheck("sandai-runqy-handler:runqy-op:v1").orElseThrow();
        assertEquals(HealthCheck.State.UP, readiness.call().getState());
        Exchange crashed = callOperator("runqy-op", Map.of("crash", true));
        assertEquals("HandlerCrashed", ((TaskExecutionException) crashed.getException()).errorType());
        // The crash leaves the pool degraded until the child is restarted (after the 1 s backoff).
        await().atMost(WAIT).until(() -> readiness.call().getState() == HealthCheck.State.DOWN
                                          || callOperator("runqy-op", Map.of()).getException() == null);
        await().atMost(WAIT).until(() -> readiness.call().getState() == HealthCheck.State.UP);
        assertNull(callOperator("runqy-op", Map.of("after", "restart")).getException());

        context.getRouteController().stopRoute(routeId);
        assertTrue(HealthCheckRegistry.get(context).getCheck("sandai-runqy-handler:runqy-op:v1").isEmpty(),
                "the readiness check leaves with the route");
        awaitNoThread("runqy-runqy-op:v1-supervisor");
    }

    // ---- 2. runqy-to-sandai ---------------------------------------------------------------------------------------

    @Test
    void runqyQueueTasksRunOnTheOperatorThroughTheRoute() throws Exception {
        routeId = "runqy-to-sandai";
        try (Jedis jedis = new Jedis(REDIS.host(), REDIS.port())) {
            jedis.keys("asynq:*").forEach(jedis::del);
            AsynqEnqueuer enqueuer = new AsynqEnqueuer(jedis);
            TemplatedRouteBuilder.builder(context, SandaiBridgeTemplates.RUNQY_TO_SANDAI).routeId(routeId)
                    .parameter("runqyRedisUrl", REDIS.url()).parameter("queues", "inference")
                    .parameter("operatorName", "echo").parameter("operatorVersion", "v1")
                    .parameter("priority", "high").parameter("concurrency", "2")
                    .parameter("pendingSinceUnit", "nanoseconds").parameter("brokerUrl", REDIS.url())
                    .parameter("pollInterval", "50ms").parameter("maintenanceInterval", "200ms")
                    .parameter("shutdownTimeout", "20s")
                    .add();

            String ok = enqueuer.enqueue("inference", Map.of("options", Map.of("clip", 2)));
            String failed = enqueuer.enqueue("inference", Map.of("options", Map.of("fail", "no way")));
            await().atMost(WAIT).until(() -> "completed".equals(enqueuer.field("inference.default", ok, "state")));
            Map<?, ?> stored = (Map<?, ?>) PythonJson.decode(enqueuer.field("inference.default", ok, "result"));
            assertEquals("success", stored.get("status"));
            assertEquals(Map.of("clip", 2L), ((Map<?, ?>) stored.get("results")).get("echo"));
            // A non-retryable operator failure is a permanent error: archived at once, with the reason.
            await().atMost(WAIT).until(() -> "archived".equals(enqueuer.field("inference.default", failed, "state")));

            blockNextTask();
            String slow = enqueuer.enqueue("inference", Map.of("options", Map.of("block", true)));
            stopWhileATaskRuns("runqy-to-sandai-echo");
            assertEquals("completed", enqueuer.field("inference.default", slow, "state"),
                    "the task in flight finished before the route stopped");
            awaitNoThread("runqy-to-sandai-echo");
            String afterStop = enqueuer.enqueue("inference", Map.of("options", Map.of()));
            assertEquals("pending", enqueuer.field("inference.default", afterStop, "state"));
        }
    }

    @Test
    void runqyToSandaiCanTakeItsRedisFromARunqyServer() throws Exception {
        routeId = "runqy-to-sandai-via-server";
        try (FakeRunqyServer runqy = new FakeRunqyServer(300); Jedis jedis = new Jedis(REDIS.host(), REDIS.port())) {
            jedis.keys("asynq:*").forEach(jedis::del);
            runqy.workerConfig("inference", REDIS.host() + ":" + REDIS.port(), "", 0, false,
                    Map.of("inference.gpu", 5), true);
            AsynqEnqueuer enqueuer = new AsynqEnqueuer(jedis);
            Exception both = assertThrows(org.apache.camel.FailedToCreateRouteException.class, () ->
                    TemplatedRouteBuilder.builder(context, SandaiBridgeTemplates.RUNQY_TO_SANDAI).routeId("both")
                            .parameter("runqyRedisUrl", REDIS.url()).parameter("runqyServerUrl", runqy.url())
                            .parameter("queues", "inference").parameter("operatorName", "echo")
                            .parameter("operatorVersion", "v1").add());
            assertTrue(String.valueOf(both.getMessage()).contains("exactly one of the parameters runqyRedisUrl and "
                                                                  + "runqyServerUrl"), String.valueOf(both));
            if (context.getRoute("both") != null) {
                context.removeRoute("both");
            }
            TemplatedRouteBuilder.builder(context, SandaiBridgeTemplates.RUNQY_TO_SANDAI).routeId(routeId)
                    .parameter("runqyServerUrl", runqy.url()).parameter("runqyWorkerKey", FakeRunqyServer.WORKER_KEY)
                    .parameter("queues", "inference").parameter("operatorName", "echo")
                    .parameter("operatorVersion", "v1").parameter("brokerUrl", REDIS.url())
                    .parameter("pollInterval", "50ms").add();

            String id = enqueuer.enqueue("inference.gpu", Map.of("options", Map.of("clip", 3)));
            await().atMost(WAIT).until(() -> "completed".equals(enqueuer.field("inference.gpu", id, "state")));
            Map<?, ?> stored = (Map<?, ?>) PythonJson.decode(enqueuer.field("inference.gpu", id, "result"));
            assertEquals(Map.of("clip", 3L), ((Map<?, ?>) stored.get("results")).get("echo"));
        }
    }

    // ---- 3. sandai-to-runqy ---------------------------------------------------------------------------------------

    @Test
    void operatorBackedByARunqyServer() throws Exception {
        routeId = "sandai-to-runqy";
        try (FakeRunqyServer runqy = new FakeRunqyServer(300)) {
            TemplatedRouteBuilder.builder(context, SandaiBridgeTemplates.SANDAI_TO_RUNQY).routeId(routeId)
                    .parameter("operatorName", "runqy-backed").parameter("operatorVersion", "v1")
                    .parameter("runqyUrl", runqy.url()).parameter("runqyQueue", "inference")
                    .parameter("apiKey", FakeRunqyServer.CLIENT_KEY).parameter("auth", "x-api-key")
                    .parameter("taskTimeout", "30s").parameter("brokerUrl", REDIS.url())
                    .add();

            Exchange ok = callOperator("runqy-backed", Map.of("lang", "en"));
            assertNull(ok.getException());
            OperatorResult result = ok.getProperty(SandaiConstants.RESULT_PROPERTY, OperatorResult.class);
            assertEquals(TaskStatus.SUCCESS, result.status());
            assertNotNull(result.results());

            Exchange archived = callOperator("runqy-backed", Map.of("outcome", "archive"));
            TaskExecutionException failure = assertInstanceOf(TaskExecutionException.class, archived.getException());
            assertEquals("RunqyTaskArchived", failure.errorType());
            assertEquals("model exploded", failure.errorMessage());
        }
    }

    // ---- 4. avtomatika-worker -------------------------------------------------------------------------------------

    @Test
    void avtomatikaWorkerRunsSkillsThroughTheRouteAndStopsWithIt() throws Exception {
        routeId = "avtomatika";
        try (FakeAvtomatika orchestrator = new FakeAvtomatika(TOKEN)) {
            orchestrator.pollHoldMillis(200);
            TemplatedRouteBuilder.builder(context, SandaiBridgeTemplates.AVTOMATIKA_WORKER).routeId(routeId)
                    .parameter("orchestratorUrl", orchestrator.url()).parameter("workerId", "tpl-avt")
                    .parameter("workerToken", TOKEN).parameter("workerType", "cpu")
                    .parameter("maxConcurrentTasks", "2")
                    .parameter("skills", "echo.operator=echo\necho.version=v1\necho.timeout=20s")
                    .parameter("heartbeatInterval", "300ms").parameter("pollTimeout", "1s")
                    .parameter("shutdownTimeout", "20s").parameter("brokerUrl", REDIS.url())
                    .add();

            String ok = orchestrator.addTask("echo", Map.of("lang", "en"), null);
            String failed = orchestrator.addTask("echo", Map.of("fail", "boom"), null);
            await().atMost(WAIT).until(() -> orchestrator.resultOf(ok) != null && orchestrator.resultOf(failed) != null);
            JsonNode r = orchestrator.resultOf(ok);
            assertEquals("success", r.path("status").asText());
            assertEquals("en", r.path("data").path("results").path("echo").path("lang").asText());
            assertEquals("PERMANENT_ERROR", orchestrator.resultOf(failed).path("error").path("code").asText());
            assertEquals("boom", orchestrator.resultOf(failed).path("error").path("message").asText());
            assertTrue(orchestrator.refusals().isEmpty(), () -> orchestrator.refusals().toString());

            blockNextTask();
            String slow = orchestrator.addTask("echo", Map.of("block", true), null);
            stopWhileATaskRuns("avtomatika-tpl-avt-poll");
            assertEquals("success", orchestrator.resultOf(slow).path("status").asText(),
                    "the task in flight was reported before the route stopped");
            awaitNoThread("avtomatika-tpl-avt");
            String afterStop = orchestrator.addTask("echo", Map.of(), null);
            assertNull(orchestrator.resultOf(afterStop));
            assertEquals(0, orchestrator.outstanding(), "the task added after stop was not handed out");
        }
    }

    /**
     * The template's s3* parameters: a task whose params follow the S3 payload convention ({@code s3://} input with
     * {@code params_metadata}) runs through the template against S3Proxy; the result describes the operator's
     * {@code s3://} output in {@code data_metadata}, and a size mismatch never reaches the operator.
     */
    @Test
    void avtomatikaWorkerAppliesTheS3PayloadConventionFromItsS3Parameters() throws Exception {
        routeId = "avtomatika-s3";
        byte[] input = "offloaded input".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] output = "OFFLOADED OUTPUT!".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        try (S3ProxyServer s3 = S3ProxyServer.start();
             ArtifactStores stores = ArtifactStores.standard(s3.settings().build());
             FakeAvtomatika orchestrator = new FakeAvtomatika(TOKEN)) {
            s3.createBucket("tpl-payloads");
            String inUri = "s3://tpl-payloads/in/" + java.util.UUID.randomUUID() + ".txt";
            String outUri = "s3://tpl-payloads/out/" + java.util.UUID.randomUUID() + ".txt";
            stores.storeFor(inUri).write(java.net.URI.create(inUri), new java.io.ByteArrayInputStream(input), input.length, "text/plain");
            stores.storeFor(outUri).write(java.net.URI.create(outUri), new java.io.ByteArrayInputStream(output), output.length, "text/plain");
            String inEtag = stores.storeFor(inUri).stat(java.net.URI.create(inUri)).etag();
            String outEtag = stores.storeFor(outUri).stat(java.net.URI.create(outUri)).etag();
            // an operator that "wrote" outUri: it answers it as its output artifact
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("sandai:s3echo:v1?brokerUrl=" + REDIS.url()).routeId("s3echo-operator").process(e -> {
                        calls.incrementAndGet();
                        OperatorRequest request = e.getMessage().getBody(OperatorRequest.class);
                        e.getMessage().setBody(OperatorResult.success(
                                List.of(Artifact.builder().uri(outUri).slot("out").size((long) output.length).build()),
                                Map.of("input", request.inputArtifact("audio").uri())));
                    });
                }
            });
            orchestrator.pollHoldMillis(200);
            TemplatedRouteBuilder.builder(context, SandaiBridgeTemplates.AVTOMATIKA_WORKER).routeId(routeId)
                    .parameter("orchestratorUrl", orchestrator.url()).parameter("workerId", "tpl-avt-s3")
                    .parameter("workerToken", TOKEN)
                    .parameter("skills", "upper.operator=s3echo\nupper.version=v1\nupper.input-slots=audio\nupper.timeout=20s")
                    .parameter("heartbeatInterval", "300ms").parameter("pollTimeout", "1s")
                    .parameter("s3Endpoint", s3.endpoint().toString()).parameter("s3PathStyle", "true")
                    .parameter("s3Region", "us-east-1").parameter("s3AccessKey", S3ProxyServer.ACCESS_KEY)
                    .parameter("s3SecretKey", S3ProxyServer.SECRET_KEY).parameter("s3DefaultBucket", "tpl-payloads")
                    .parameter("brokerUrl", REDIS.url())
                    .add();

            String ok = orchestrator.addTask("upper", Map.of("audio", inUri), null,
                    Map.of("audio", Map.of("uri", inUri, "size", input.length, "etag", "\"" + inEtag + "\"")));
            await().atMost(WAIT).until(() -> orchestrator.resultOf(ok) != null);
            JsonNode r = orchestrator.resultOf(ok);
            assertEquals("success", r.path("status").asText(), r::toString);
            assertEquals(inUri, r.path("data").path("results").path("input").asText());
            JsonNode described = r.path("data_metadata").path("artifacts[0].uri");
            assertEquals(outUri, described.path("uri").asText(), r::toString);
            assertEquals(output.length, described.path("size").asInt());
            assertEquals(outEtag, described.path("etag").asText());
            assertEquals(1, calls.get());
            // the s3* parameters also give the registration its s3_config_hash (endpoint|access key|bucket)
            assertEquals(16, orchestrator.registrations.get("tpl-avt-s3").path("capabilities").path("s3_config_hash")
                    .asText().length());

            String mismatch = orchestrator.addTask("upper", Map.of("audio", inUri), null,
                    Map.of("audio", Map.of("uri", inUri, "size", input.length + 3)));
            await().atMost(WAIT).until(() -> orchestrator.resultOf(mismatch) != null);
            assertEquals("INTEGRITY_MISMATCH_ERROR", orchestrator.resultOf(mismatch).path("error").path("code").asText());
            assertEquals(1, calls.get(), "the operator is not called for a mismatched input");
            assertTrue(orchestrator.refusals().isEmpty(), () -> orchestrator.refusals().toString());
        } finally {
            if (context.getRoute("s3echo-operator") != null) {
                context.getRouteController().stopRoute("s3echo-operator");
                context.removeRoute("s3echo-operator");
            }
        }
    }

    /** The template's tls* parameters: mTLS to an orchestrator that requires a client certificate. */
    @Test
    void avtomatikaWorkerOverMutualTls(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        routeId = "avtomatika-mtls";
        TlsMaterial tls = TlsMaterial.generate(dir.resolve("tls"));
        TlsMaterial.ClientCertificate client = tls.clientCertificate("tpl-avt-mtls", dir.resolve("client"));
        try (FakeAvtomatika orchestrator = new FakeAvtomatika(TOKEN, tls.serverSslContext(), true)) {
            orchestrator.pollHoldMillis(200);
            TemplatedRouteBuilder.builder(context, SandaiBridgeTemplates.AVTOMATIKA_WORKER).routeId(routeId)
                    .parameter("orchestratorUrl", orchestrator.url()).parameter("workerId", "tpl-avt-mtls")
                    .parameter("workerToken", TOKEN)
                    .parameter("skills", "echo.operator=echo\necho.version=v1\necho.timeout=20s")
                    .parameter("heartbeatInterval", "300ms").parameter("pollTimeout", "1s")
                    .parameter("tlsTrustStore", tls.truststore().toString())
                    .parameter("tlsTrustStorePassword", tls.truststorePassword())
                    .parameter("tlsCertPath", client.certPem().toString()).parameter("tlsKeyPath", client.keyPem().toString())
                    .parameter("brokerUrl", REDIS.url())
                    .add();
            String ok = orchestrator.addTask("echo", Map.of("lang", "mtls"), null);
            await().atMost(WAIT).until(() -> orchestrator.resultOf(ok) != null);
            assertEquals("success", orchestrator.resultOf(ok).path("status").asText());
            assertTrue(orchestrator.certificateIdentities.contains("tpl-avt-mtls"));
            assertTrue(orchestrator.refusals().isEmpty(), () -> orchestrator.refusals().toString());
        }
    }

    // ---- 5. gyoza-worker ------------------------------------------------------------------------------------------

    @Test
    void gyozaWorkerRunsOpsThroughTheRouteAndStopsWithIt() throws Exception {
        routeId = "gyoza";
        try (FakeGyoza gyoza = new FakeGyoza("gyoza-key")) {
            context.getRegistry().bind("gyozaOps", Map.of("echo-def.operator", "echo", "echo-def.version", "v1",
                    "echo-def.timeout", "20"));
            TemplatedRouteBuilder.builder(context, SandaiBridgeTemplates.GYOZA_WORKER).routeId(routeId)
                    .parameter("baseUrl", gyoza.url()).parameter("apiKey", "gyoza-key").parameter("workerId", "tpl-gyoza")
                    .parameter("concurrency", "2").parameter("opsBean", "gyozaOps").parameter("tags", "cpu")
                    .parameter("claimInterval", "50ms").parameter("heartbeatInterval", "300ms")
                    .parameter("shutdownTimeout", "20s").parameter("brokerUrl", REDIS.url())
                    .parameter("resources", GPU_RESOURCES).parameter("requestTimeout", "5s")
                    .add();

            String ok = gyoza.addRun("echo-def", "1.0", null, Map.of("lang", "fr"));
            String failed = gyoza.addRun("echo-def", "1.0", null, Map.of("fail", "boom"));
            await().atMost(WAIT).until(() -> gyoza.run(ok).state.equals("COMPLETED"));
            await().atMost(WAIT).until(() -> gyoza.run(failed).state.equals("FAILED"));
            assertEquals("fr", gyoza.run(ok).events.get(gyoza.run(ok).events.size() - 1).path("payload")
                    .path("outputs").path("results").path("echo").path("lang").asText());
            assertEquals("boom", gyoza.run(failed).events.get(1).path("payload").path("error_message").asText());
            JsonNode resources = gyoza.heartbeats.get(0).path("resources");
            assertEquals(4, resources.path("cpu_cores").asInt());
            assertEquals("t4", resources.path("gpus").get(0).path("tags").get(0).asText());
            String reporting = gyoza.addRun("echo-def", "1.0", null, Map.of("progress", true));
            await().atMost(WAIT).until(() -> gyoza.run(reporting).state.equals("COMPLETED"));
            assertTrue(gyoza.eventTypes(reporting).contains("PROGRESS"),
                    () -> "the operator's progress reaches gyoza through the sandai: producer: "
                          + gyoza.eventTypes(reporting));
            assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());

            blockNextTask();
            String slow = gyoza.addRun("echo-def", "1.0", null, Map.of("block", true));
            stopWhileATaskRuns("gyoza-tpl-gyoza-poll");
            assertEquals("COMPLETED", gyoza.run(slow).state, () -> "the run in flight was reported before the route "
                                                                   + "stopped: " + gyoza.run(slow).events);
            awaitNoThread("gyoza-tpl-gyoza");
            String afterStop = gyoza.addRun("echo-def", "1.0", null, Map.of());
            assertEquals("PENDING", gyoza.run(afterStop).state);
        }
    }

    private static final String GPU_RESOURCES =
            "{\"cpu_cores\": 4, \"ram_mb\": 8192, \"gpus\": [{\"id\": 0, \"vram_mb\": 16384, \"tags\": [\"t4\"]}]}";

    @Test
    void gyozaWorkerRefusesResourcesOfTheWrongShape() {
        context.getRegistry().bind("gyozaOps", Map.of("echo-def.operator", "echo", "echo-def.version", "v1"));
        Exception e = assertThrows(Exception.class, () -> TemplatedRouteBuilder.builder(context,
                        SandaiBridgeTemplates.GYOZA_WORKER).routeId("gyoza-bad")
                .parameter("baseUrl", "http://127.0.0.1:1").parameter("workerId", "bad-resources")
                .parameter("opsBean", "gyozaOps").parameter("resources", "{\"cpu_cores\": \"many\"}")
                .parameter("brokerUrl", REDIS.url()).add());
        Throwable cause = e;
        while (cause.getCause() != null && !String.valueOf(cause.getMessage()).contains("parameter resources")) {
            cause = cause.getCause();
        }
        assertTrue(String.valueOf(cause.getMessage()).contains("parameter resources: resources.cpu_cores"),
                () -> "the error names the parameter and the member: " + e);
    }
}
