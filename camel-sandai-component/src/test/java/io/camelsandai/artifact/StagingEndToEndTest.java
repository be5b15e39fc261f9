package io.camelsandai.artifact;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskError;
import io.camelsandai.model.TaskMeta;
import io.camelsandai.model.TaskStatus;
import io.camelsandai.operator.OperatorHandler;
import io.camelsandai.operator.OperatorTask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Producer uploads an input (StagingClient), the operator side downloads it (StagingOperatorHandler), a trivial
 * handler writes an output, staging uploads it, the producer downloads and verifies sha256, all through S3Proxy.
 */
class StagingEndToEndTest {
    static S3ProxyServer s3;
    static ArtifactStores stores;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start();
        s3.createBucket("bucket");
        stores = ArtifactStores.standard(s3.settings().build());
    }

    @AfterAll
    static void stop() throws Exception {
        stores.close();
        s3.close();
    }

    private static ArtifactSettings.Builder settings(String name) {
        return s3.settings().workDir(tmp.resolve("work-" + name)).outputUri("s3://bucket/outputs/")
                .stagingUri("s3://bucket/staging").allowedRoot(tmp.resolve("allowed"));
    }

    /** Copies the "video" input to an output named after it, upper-casing nothing: bytes in == bytes out. */
    private static OperatorHandler copyHandler(List<Path> seenInputs) {
        return task -> CompletableFuture.supplyAsync(() -> {
            try {
                Artifact in = task.request().inputArtifact("video");
                seenInputs.add(in.localPath());
                Path out = StagingOperatorHandler.outputDir(task).resolve("clip-0.mp4");
                try (InputStream src = Files.newInputStream(in.localPath()); OutputStream dst = Files.newOutputStream(out)) {
                    src.transferTo(dst);
                }
                return OperatorResult.success(List.of(StagingOperatorHandler.output("clip", out),
                        Artifact.of("s3://elsewhere/already-remote.bin", "extra")), Map.of("frames", 3));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static OperatorResult run(StagingOperatorHandler handler, OperatorTask task) throws Exception {
        return handler.handle(task).toCompletableFuture().get(Duration.ofMinutes(2).toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void inputDownOutputUpAndBackWithVerifiedSha256() throws Exception {
        roundTrip("small", 200_000, false);
    }

    /** 64 MiB: multipart up from the client, streamed down to the operator, multipart up again, streamed down. */
    @Test
    void sixtyFourMegabytesStreamDownAndUp() throws Exception {
        roundTrip("big", 64 * ArtifactSettings.MIB, true);
    }

    private void roundTrip(String name, long size, boolean persistent) throws Exception {
        ArtifactSettings settings = settings(name).build();
        Path local = TestData.file(tmp.resolve("producer-" + name), "input video.mp4", size, 42);
        String sha = TestData.sha256(local);
        List<Path> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (StagingClient client = new StagingClient(null, stores, settings);
             StagingOperatorHandler handler = new StagingOperatorHandler(copyHandler(seen), stores, settings,
                     "video-clipper", "v1")) {
            OperatorRequest request = new OperatorRequest(List.of(Artifact.builder().uri(local.toUri().toString())
                    .slot("video").build()), Map.of("start", 1), new TaskMeta(null, null, persistent, null, Map.of()));
            OperatorRequest sent = client.uploadInputs(request);
            Artifact uploaded = sent.inputArtifacts().get(0);
            assertTrue(uploaded.uri().startsWith("s3://bucket/staging/"), uploaded.uri());
            assertTrue(uploaded.uri().endsWith("/video/input_video.mp4"), uploaded.uri());
            assertEquals(size, uploaded.size());
            assertEquals(sha, uploaded.sha256());
            assertNull(sent.toKwargs().toString().contains("localPath") ? "leak" : null);

            String taskId = "task-" + name;
            OperatorResult result = run(handler, SimpleTask.fromWire(taskId, sent));
            assertEquals(TaskStatus.SUCCESS, result.status(), String.valueOf(result.error()));
            assertEquals(settings.workDir().resolve(taskId).resolve("in/video/input_video.mp4"), seen.get(0));
            assertFalse(Files.exists(settings.workDir().resolve(taskId)), "work dir removed after the task");

            Artifact out = result.artifacts().get(0);
            String prefix = persistent ? "persistent" : "tmp";
            assertEquals("s3://bucket/outputs/" + prefix + "/video-clipper/v1/" + taskId + "/clip/clip-0.mp4", out.uri());
            assertEquals("clip", out.slot());
            assertEquals(size, out.size());
            assertEquals(sha, out.sha256());
            assertEquals("video/mp4", out.contentType());
            assertNull(out.localPath());
            assertEquals(Artifact.of("s3://elsewhere/already-remote.bin", "extra"), result.artifacts().get(1));
            assertEquals(Map.of("frames", 3), result.results());
            assertEquals(List.of("uri", "slot", "size", "sha256", "content_type"), List.copyOf(out.toMap().keySet()));

            OperatorResult onlyClip = OperatorResult.success(List.of(out), Map.of());
            List<Artifact> fetched = client.downloadOutputs(onlyClip, tmp.resolve("fetched-" + name));
            Path file = fetched.get(0).localPath();
            assertEquals(tmp.resolve("fetched-" + name).resolve("clip/clip-0.mp4"), file);
            assertEquals(out.uri(), fetched.get(0).uri());
            assertEquals(sha, TestData.sha256(file));
        }
    }

    @Test
    void corruptOrWrongSizeOutputIsRefusedByTheClient() throws Exception {
        ArtifactSettings settings = settings("corrupt").build();
        Path local = TestData.file(tmp.resolve("corrupt"), "a.bin", 1000, 1);
        try (StagingClient client = new StagingClient(null, stores, settings)) {
            Artifact up = client.uploadInputs(OperatorRequest.of(List.of(Artifact.builder().uri("x").slot("s")
                    .localPath(local).build()), Map.of())).inputArtifacts().get(0);
            Artifact wrongSha = up.toBuilder().sha256("00".repeat(32)).build();
            Path dir = tmp.resolve("corrupt-out");
            ArtifactIntegrityException e = assertThrows(ArtifactIntegrityException.class,
                    () -> client.downloadOutputs(OperatorResult.success(List.of(wrongSha), Map.of()), dir));
            assertTrue(e.getMessage().contains("sha256"));
            assertFalse(Files.exists(dir.resolve("s/a.bin")), "corrupt file removed");
            Artifact wrongSize = up.toBuilder().size(999L).build();
            assertThrows(ArtifactIntegrityException.class,
                    () -> client.downloadOutputs(OperatorResult.success(List.of(wrongSize), Map.of()), dir));
        }
    }

    @Test
    void missingInputFailsNotRetryableAndCleansUp() throws Exception {
        ArtifactSettings settings = settings("missing").build();
        boolean[] called = {false};
        try (StagingOperatorHandler handler = new StagingOperatorHandler(task -> {
            called[0] = true;
            return CompletableFuture.completedFuture(OperatorResult.success(List.of(), Map.of()));
        }, stores, settings, "op", "v1")) {
            OperatorResult r = run(handler, SimpleTask.fromWire("t-missing", OperatorRequest.of(
                    List.of(Artifact.of("s3://bucket/nope/gone.mp4", "video")), Map.of())));
            assertEquals(TaskStatus.FAILED, r.status());
            assertEquals(new TaskError("ArtifactNotFound", r.error().message(), false), r.error());
            assertFalse(called[0], "handler not called without its inputs");
            assertFalse(Files.exists(settings.workDir().resolve("t-missing")));
        }
    }

    @Test
    void fileInputOutsideAllowedRootsIsAccessDenied() throws Exception {
        ArtifactSettings settings = settings("denied").build();
        try (StagingOperatorHandler handler = new StagingOperatorHandler(
                task -> CompletableFuture.completedFuture(OperatorResult.success(List.of(), Map.of())),
                stores(settings), settings, "op", "v1")) {
            OperatorResult r = run(handler, SimpleTask.fromWire("t-denied", OperatorRequest.of(
                    List.of(Artifact.of("file:///etc/passwd", "video")), Map.of())));
            assertEquals(TaskStatus.FAILED, r.status());
            assertEquals("ArtifactAccessDenied", r.error().type());
            assertFalse(r.error().retryable());
        }
    }

    @Test
    void fileInputInsideAllowedRootIsStaged() throws Exception {
        ArtifactSettings settings = settings("fileok").build();
        Path allowed = TestData.file(tmp.resolve("allowed"), "ok.txt", 10, 5);
        List<Path> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (StagingOperatorHandler handler = new StagingOperatorHandler(task -> {
            seen.add(task.request().inputArtifacts().get(0).localPath());
            return CompletableFuture.completedFuture(OperatorResult.success(List.of(), Map.of()));
        }, stores(settings), settings, "op", "v1")) {
            OperatorResult r = run(handler, SimpleTask.fromWire("t-file", OperatorRequest.of(
                    List.of(Artifact.of(allowed.toUri().toString(), "doc")), Map.of())));
            assertEquals(TaskStatus.SUCCESS, r.status(), String.valueOf(r.error()));
            assertEquals(settings.workDir().resolve("t-file/in/doc/ok.txt"), seen.get(0));
        }
    }

    private static ArtifactStores stores(ArtifactSettings settings) {
        return ArtifactStores.standard(settings);
    }

    @Test
    void unreachableStoreIsRetryableAndKeepWorkDirOnFailureKeepsIt() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ArtifactSettings settings = settings("down").keepWorkDirOnFailure(true).build();
        try (StagingOperatorHandler handler = new StagingOperatorHandler(
                task -> CompletableFuture.completedFuture(OperatorResult.success(List.of(), Map.of())),
                stores(settings), settings, "op", "v1")) {
            OperatorResult r = run(handler, SimpleTask.fromWire("t-down", OperatorRequest.of(
                    List.of(Artifact.of("http://127.0.0.1:" + closedPort + "/in.bin", "video")), Map.of())));
            assertEquals("ArtifactTransferFailed", r.error().type());
            assertTrue(r.error().retryable());
            assertTrue(Files.isDirectory(settings.workDir().resolve("t-down")), "kept for debugging");
        }
    }

    @Test
    void handlerErrorsPassThroughAndWorkDirIsRemoved() throws Exception {
        ArtifactSettings settings = settings("boom").build();
        IllegalStateException boom = new IllegalStateException("boom");
        try (StagingOperatorHandler handler = new StagingOperatorHandler(task -> {
            assertTrue(Files.isDirectory(StagingOperatorHandler.outputDir(task)));
            return CompletableFuture.failedFuture(boom);
        }, stores, settings, "op", "v1")) {
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> run(handler, SimpleTask.fromWire("t-boom", OperatorRequest.of(List.of(), Map.of()))));
            assertSame(boom, e.getCause());
            assertFalse(Files.exists(settings.workDir().resolve("t-boom")));
        }
        // A failed result from the handler is returned as is; its local outputs are not uploaded.
        try (StagingOperatorHandler handler = new StagingOperatorHandler(task -> CompletableFuture.completedFuture(
                OperatorResult.failed(new TaskError("Bad", "bad input", false))), stores, settings, "op", "v1")) {
            OperatorResult r = run(handler, SimpleTask.fromWire("t-failed", OperatorRequest.of(List.of(), Map.of())));
            assertEquals("Bad", r.error().type());
            assertFalse(Files.exists(settings.workDir().resolve("t-failed")));
        }
    }

    @Test
    void outputsWithoutOutputUriFailClearly() throws Exception {
        ArtifactSettings settings = settings("noout").outputUri(null).build();
        try (StagingOperatorHandler handler = new StagingOperatorHandler(task -> {
            Path out = StagingOperatorHandler.outputDir(task).resolve("x.txt");
            try {
                Files.writeString(out, "x", StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
            return CompletableFuture.completedFuture(OperatorResult.success(
                    List.of(StagingOperatorHandler.output("x", out)), Map.of()));
        }, stores, settings, "op", "v1")) {
            OperatorResult r = run(handler, SimpleTask.fromWire("t-noout", OperatorRequest.of(List.of(), Map.of())));
            assertEquals(TaskStatus.FAILED, r.status());
            assertNotNull(r.error());
            assertEquals("ArtifactTransferFailed", r.error().type());
            assertFalse(r.error().retryable());
        }
    }
}
