package io.camelsandai.component;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.camelsandai.artifact.S3ProxyServer;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskExecutionException;
import io.camelsandai.testsupport.RedisServerExtension;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Artifact staging on both sides of {@code sandai:}, end to end through Redis and S3Proxy: the producer uploads a
 * local input, the consumer downloads it before the route, the route declares an output file by header, the consumer
 * uploads it, and the producer downloads it and checks size and sha256.
 */
class SandaiArtifactRouteTest extends CamelTestSupport {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    private static S3ProxyServer s3;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.start();
        s3.createBucket("bucket");
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    private static String s3Options() {
        return "s3Endpoint=" + s3.endpoint() + "&s3PathStyle=true&s3Region=us-east-1&s3AccessKey=RAW("
               + S3ProxyServer.ACCESS_KEY + ")&s3SecretKey=RAW(" + S3ProxyServer.SECRET_KEY + ")";
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("sandai:reverser:v1?brokerUrl=" + REDIS.url() + "&stageArtifacts=true&outputUri=s3://bucket/outputs"
                     + "&workDir=" + tmp.resolve("work") + "&" + s3Options())
                        .routeId("reverser")
                        .process(SandaiArtifactRouteTest::reverse);
            }
        };
    }

    /** The operator's work: writes the input's bytes reversed to a new file and declares it as output slot "out". */
    private static void reverse(Exchange exchange) throws Exception {
        OperatorRequest request = exchange.getMessage().getBody(OperatorRequest.class);
        @SuppressWarnings("unchecked")
        Map<String, Path> localPaths = exchange.getMessage().getHeader(SandaiConstants.LOCAL_PATHS, Map.class);
        Path input = request.inputArtifact("text").localPath();
        assertEquals(input, localPaths.get("text"));
        byte[] bytes = Files.readAllBytes(input);
        byte[] reversed = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            reversed[i] = bytes[bytes.length - 1 - i];
        }
        Path output = input.getParent().resolve("reversed.txt");
        Files.write(output, reversed);
        exchange.getMessage().setHeader(SandaiConstants.OUTPUTS, Map.of("out", output));
        exchange.getMessage().setBody(Map.of("results", Map.of("bytes", bytes.length)));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void localInputGoesUpThroughTheOperatorAndComesBackVerified() throws Exception {
        Path input = tmp.resolve("input.txt");
        Files.writeString(input, "hello, operator", StandardCharsets.UTF_8);
        Path downloads = tmp.resolve("downloads");
        String uri = "sandai:reverser:v1?brokerUrl=" + REDIS.url() + "&timeout=30s&uploadInputs=true"
                     + "&stagingUri=s3://bucket/staging&downloadOutputs=" + downloads + "&" + s3Options();

        Exchange reply = template.request(uri, e -> e.getMessage().setBody(Map.of(
                "input_artifacts", List.of(Map.of("uri", input.toUri().toString(), "slot", "text")),
                "options", Map.of())));

        assertFalse(reply.isFailed(), () -> String.valueOf(reply.getException()));
        OperatorResult result = reply.getProperty(SandaiConstants.RESULT_PROPERTY, OperatorResult.class);
        assertEquals(Map.of("bytes", 15L), result.results());
        assertEquals(1, result.artifacts().size());
        var out = result.artifacts().get(0);
        assertTrue(out.uri().startsWith("s3://bucket/outputs/tmp/reverser/v1/"), out.uri());
        assertEquals(15L, out.size());
        byte[] expected = "rotarepo ,olleh".getBytes(StandardCharsets.UTF_8);
        assertEquals(sha256(expected), out.sha256());
        assertEquals("rotarepo ,olleh", Files.readString(out.localPath()));
        assertTrue(out.localPath().startsWith(downloads));
        @SuppressWarnings("unchecked")
        Map<String, Object> body = reply.getMessage().getBody(Map.class);
        assertEquals(out.localPath().toString(), ((List<Map<String, Object>>) body.get("artifacts")).get(0).get("local_path"));
        assertFalse(Files.exists(tmp.resolve("work")) && Files.list(tmp.resolve("work")).findAny().isPresent(),
                "the per-task work dir is removed when the task ends");
    }

    @Test
    void inOnlySendsStageTheirInputsToo() throws Exception {
        Path input = tmp.resolve("later.txt");
        Files.writeString(input, "abc", StandardCharsets.UTF_8);
        String uri = "sandai:reverser:v1?brokerUrl=" + REDIS.url() + "&uploadInputs=true&stagingUri=s3://bucket/staging&"
                     + s3Options();
        Exchange sent = template.send(uri, org.apache.camel.ExchangePattern.InOnly, e -> e.getMessage().setBody(Map.of(
                "input_artifacts", List.of(Map.of("uri", input.toUri().toString(), "slot", "text")))));
        assertFalse(sent.isFailed(), () -> String.valueOf(sent.getException()));
        String taskId = sent.getMessage().getHeader(SandaiConstants.TASK_ID, String.class);
        try (io.camelsandai.client.OperatorClient client = io.camelsandai.client.OperatorClient.create("reverser", "v1",
                io.camelsandai.client.OperatorSettings.builder().brokerUrl(REDIS.url()).build())) {
            OperatorResult result = client.handle(taskId).get(java.time.Duration.ofSeconds(30));
            assertEquals(Map.of("bytes", 3L), result.results());
            assertTrue(result.artifacts().get(0).uri().startsWith("s3://bucket/outputs/"));
        }
    }

    @Test
    void missingInputIsANonRetryableArtifactNotFound() {
        String uri = "sandai:reverser:v1?brokerUrl=" + REDIS.url() + "&timeout=30s";
        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> template.requestBody(uri,
                Map.of("input_artifacts", List.of(Map.of("uri", "s3://bucket/nope.txt", "slot", "text")))));
        TaskExecutionException failed = assertInstanceOf(TaskExecutionException.class, e.getCause());
        assertEquals("ArtifactNotFound", failed.errorType());
        assertFalse(failed.isRetryable());
    }

    @Test
    void fileInputsFromTheNetworkAreRefusedByDefault() {
        String uri = "sandai:reverser:v1?brokerUrl=" + REDIS.url() + "&timeout=30s";
        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> template.requestBody(uri,
                Map.of("input_artifacts", List.of(Map.of("uri", "file:///etc/passwd", "slot", "text")))));
        TaskExecutionException failed = assertInstanceOf(TaskExecutionException.class, e.getCause());
        assertEquals("ArtifactAccessDenied", failed.errorType());
    }

    @Test
    void s3SecretNeverShowsInTheEndpoint() {
        String shown = context.getRoute("reverser").getEndpoint().toString();
        assertFalse(shown.contains(S3ProxyServer.SECRET_KEY), shown);
    }
}
