package io.camelsandai.bridge.avtomatika;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.camelsandai.artifact.ArtifactSettings;
import io.camelsandai.artifact.ArtifactStat;
import io.camelsandai.artifact.ArtifactStores;
import io.camelsandai.artifact.S3ProxyServer;
import io.camelsandai.artifact.StagingOperatorHandler;
import io.camelsandai.util.Backoff;
import io.camelsandai.bridge.FakeAvtomatika;
import io.camelsandai.bridge.OperatorTarget;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.operator.OperatorRuntimeSettings;
import io.camelsandai.operator.OperatorTask;
import io.camelsandai.testsupport.RedisServerExtension;

/**
 * The S3 payload convention of the Avtomatika worker: strict fake orchestrator, real Redis, S3Proxy, and this
 * project's operator runtime with artifact staging (it downloads the {@code s3://} input and uploads its output).
 */
class AvtomatikaS3PayloadTest {
    private static final String TOKEN = "s3-payload-token";
    private static final String BUCKET = "payloads";
    private static final byte[] INPUT = "hello offloaded payloads".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    @TempDir
    static Path tmp;

    private static S3ProxyServer s3;
    private static ArtifactStores testStores;
    private static ArtifactSettings artifactSettings;
    private static OperatorRuntime runtime;
    private static StagingOperatorHandler staging;
    private static OperatorSettings operatorSettings;
    /** How often the operator's own code ran (after staging downloaded the inputs). */
    private static final AtomicInteger operatorCalls = new AtomicInteger();

    private FakeAvtomatika orchestrator;
    private AvtomatikaWorker worker;

    @BeforeAll
    static void startS3AndOperator() throws Exception {
        s3 = S3ProxyServer.start();
        s3.createBucket(BUCKET);
        artifactSettings = s3.settings().workDir(tmp.resolve("work")).outputUri("s3://" + BUCKET + "/outputs/").build();
        testStores = ArtifactStores.standard(artifactSettings);
        operatorSettings = OperatorSettings.builder().environment(k -> null).brokerUrl(REDIS.url()).build();
        staging = new StagingOperatorHandler(AvtomatikaS3PayloadTest::upperCase, testStores, artifactSettings,
                "upper", "v1");
        runtime = new OperatorRuntime(OperatorRuntimeSettings.builder("upper", "v1").connection(operatorSettings)
                .concurrency(2).build(), staging);
        runtime.start();
    }

    @AfterAll
    static void stopAll() throws Exception {
        runtime.close();
        staging.close();
        testStores.close();
        s3.close();
    }

    /** Upper-cases the "audio" input into an output file; staging uploads it to S3. */
    private static CompletableFuture<OperatorResult> upperCase(OperatorTask task) {
        operatorCalls.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> {
            try {
                Artifact in = task.request().inputArtifact("audio");
                String text = Files.readString(in.localPath(), StandardCharsets.UTF_8);
                Path out = StagingOperatorHandler.outputDir(task).resolve("upper.txt");
                Files.writeString(out, text.toUpperCase(Locale.ROOT), StandardCharsets.UTF_8);
                return OperatorResult.success(List.of(StagingOperatorHandler.output("text", out)), Map.of("chars", text.length()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @BeforeEach
    void startWorker() throws Exception {
        orchestrator = new FakeAvtomatika(TOKEN);
        orchestrator.pollHoldMillis(200);
        AvtomatikaConfig.Builder b = AvtomatikaConfig.builder().orchestrator(orchestrator.url())
                .workerId("s3-" + UUID.randomUUID().toString().substring(0, 8)).token(TOKEN)
                .pollTimeout(Duration.ofSeconds(1)).heartbeatInterval(Duration.ofMillis(500))
                .shutdownTimeout(Duration.ofSeconds(10))
                .skillsFromProperties(Map.of("skills.upper.operator", "upper", "skills.upper.version", "v1",
                        "skills.upper.input-slots", "audio", "skills.upper.timeout", "20s"), "skills")
                // the worker builds (and closes) its own stores from the settings
                .artifactSettings(s3.settings().build());
        b.bridge().reportBackoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(500)))
                .fetchBackoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(500)));
        worker = new AvtomatikaWorker(b.build(), operatorSettings);
        worker.start();
    }

    @AfterEach
    void stopWorker() {
        if (worker.isRunning()) {
            worker.stop();
        }
        orchestrator.close();
    }

    private static String upload(String name) {
        String uri = "s3://" + BUCKET + "/inputs/" + UUID.randomUUID() + "/" + name;
        testStores.storeFor(uri).write(URI.create(uri), new ByteArrayInputStream(INPUT), INPUT.length, "text/plain");
        return uri;
    }

    private static ArtifactStat stat(String uri) {
        return testStores.storeFor(uri).stat(URI.create(uri));
    }

    private JsonNode awaitResult(String taskId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> orchestrator.resultOf(taskId) != null);
        return orchestrator.resultOf(taskId);
    }

    private static Map<String, Object> metadata(String uri, long size, String etag) {
        return Map.of("audio", Map.of("uri", uri, "size", size, "etag", etag));
    }

    @Test
    void matchingMetadataRunsTheOperatorAndDescribesItsOutput() {
        String input = upload("in.txt");
        ArtifactStat in = stat(input);
        int before = operatorCalls.get();
        // the orchestrator sends ETags with their quotes, as S3 lists them
        String task = orchestrator.addTask("upper", Map.of("audio", input), null,
                metadata(input, INPUT.length, "\"" + in.etag() + "\""));

        JsonNode result = awaitResult(task);
        assertEquals("success", result.path("status").asText(), result::toString);
        assertEquals(before + 1, operatorCalls.get());
        JsonNode artifact = result.path("data").path("artifacts").get(0);
        String output = artifact.path("uri").asText();
        assertTrue(output.startsWith("s3://" + BUCKET + "/outputs/"), output);

        JsonNode described = result.path("data_metadata").path("artifacts[0].uri");
        assertEquals(output, described.path("uri").asText(), result::toString);
        assertEquals(INPUT.length, described.path("size").asLong());
        assertEquals(artifact.path("size").asLong(), described.path("size").asLong());
        ArtifactStat out = stat(output);
        assertEquals(out.etag(), described.path("etag").asText());
        assertFalse(described.path("etag").asText().contains("\""));
        assertEquals(1, result.path("data_metadata").size(), "only output URIs are described");
        assertTrue(orchestrator.refusals().isEmpty(), () -> "refused: " + orchestrator.refusals());
    }

    @Test
    void wrongSizeIsAnIntegrityMismatchWithoutCallingTheOperator() {
        String input = upload("in.txt");
        int before = operatorCalls.get();
        String task = orchestrator.addTask("upper", Map.of("audio", input), null,
                Map.of("audio", Map.of("uri", input, "size", INPUT.length + 1)));
        assertIntegrityMismatch(awaitResult(task), "bytes");
        assertEquals(before, operatorCalls.get());
    }

    @Test
    void wrongEtagIsAnIntegrityMismatchWithoutCallingTheOperator() {
        String input = upload("in.txt");
        int before = operatorCalls.get();
        String task = orchestrator.addTask("upper", Map.of("audio", input), null,
                metadata(input, INPUT.length, "\"0123456789abcdef0123456789abcdef\""));
        assertIntegrityMismatch(awaitResult(task), "ETag");
        assertEquals(before, operatorCalls.get());
    }

    @Test
    void missingObjectIsAnIntegrityMismatchAndNestedPathsAreChecked() {
        String missing = "s3://" + BUCKET + "/inputs/" + UUID.randomUUID() + "/gone.txt";
        int before = operatorCalls.get();
        // operator-shaped params: the input sits at input_artifacts[0].uri
        String task = orchestrator.addTask("upper",
                Map.of("input_artifacts", List.of(Map.of("uri", missing, "slot", "audio"))), null,
                Map.of("input_artifacts[0].uri", Map.of("uri", missing, "size", 5)));
        assertIntegrityMismatch(awaitResult(task), "does not exist");
        assertEquals(before, operatorCalls.get());
    }

    private void assertIntegrityMismatch(JsonNode result, String messagePart) {
        assertEquals("failure", result.path("status").asText(), result::toString);
        assertEquals("INTEGRITY_MISMATCH_ERROR", result.path("error").path("code").asText());
        assertTrue(result.path("error").path("message").asText().contains(messagePart), result::toString);
        assertFalse(result.has("data_metadata"));
        assertTrue(orchestrator.refusals().isEmpty(), () -> "refused: " + orchestrator.refusals());
    }
}
