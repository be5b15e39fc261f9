package io.camelsandai.bridge.runqy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskStatus;

/** RunqyClient and RunqyBackedHandler against an in-process server implementing the runqy HTTP API. */
class RunqyClientTest {
    private FakeRunqyServer server;
    private RunqyClient client;

    @BeforeEach
    void start() throws IOException {
        server = new FakeRunqyServer(300);
        client = new RunqyClient(server.url(), FakeRunqyServer.CLIENT_KEY);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void enqueueThenWaitReadsTheMixedCaseInfo() {
        RunqyTaskInfo queued = client.enqueue("inference", Map.of("options", Map.of("x", 1)));
        assertEquals("inference.default", queued.queue());
        assertEquals("pending", queued.state());
        assertFalse(queued.taskId().isEmpty());
        assertEquals("Bearer " + FakeRunqyServer.CLIENT_KEY, server.seenHeaders.get(0).get("authorization"));

        RunqyTaskInfo done = client.waitTask(queued.taskId()).orElseThrow();
        assertTrue(done.isCompleted());
        assertEquals(Map.of("echo", Map.of("x", 1L)), done.result(), "Result string parsed as JSON");
        assertEquals(Map.of("options", Map.of("x", 1L)), done.payload());
        assertEquals(3, done.maxRetry());
        assertEquals(queued.taskId(), client.getTask(queued.taskId()).taskId());
    }

    @Test
    void xApiKeyIsAcceptedToo() {
        RunqyClient keyed = new RunqyClient(server.url(), FakeRunqyServer.CLIENT_KEY, RunqyClient.Auth.X_API_KEY,
                Duration.ofSeconds(5));
        keyed.enqueue("inference.default", Map.of());
        assertEquals(FakeRunqyServer.CLIENT_KEY, server.seenHeaders.get(0).get("x-api-key"));
        assertFalse(keyed.toString().contains(FakeRunqyServer.CLIENT_KEY));
    }

    @Test
    void errorsAreTyped() throws IOException {
        assertThrows(AuthenticationException.class, () -> new RunqyClient(server.url(), "wrong").enqueue("inference", Map.of()));
        assertThrows(AuthenticationException.class, () -> new RunqyClient(server.url(), null).enqueue("inference", Map.of()));
        RunqyException forbidden = assertThrows(RunqyException.class,
                () -> new RunqyClient(server.url(), FakeRunqyServer.WORKER_KEY).enqueue("inference", Map.of()));
        assertEquals(403, forbidden.status());
        assertEquals("HTTP 403: {\"errors\": [\"insufficient permissions\"]}", forbidden.getMessage());
        TaskNotFoundException noQueue = assertThrows(TaskNotFoundException.class, () -> client.enqueue("nope", Map.of()));
        assertTrue(noQueue.getMessage().contains("queue not found: nope.default"));
        assertThrows(TaskNotFoundException.class, () -> client.getTask("no-such-id"));

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        RunqyException down = assertThrows(RunqyException.class,
                () -> new RunqyClient("http://127.0.0.1:" + closedPort, "k").getTask("x"));
        assertTrue(down.getMessage().startsWith("Connection error: "), down.getMessage());
    }

    @Test
    void answersWithoutMembersGetRunqyPythonsDefaults() {
        RunqyTaskInfo status = RunqyTaskInfo.fromStatusResponse(Map.of("Info", Map.of()), "the-id");
        assertEquals("the-id", status.taskId(), "get_task: the id asked for");
        assertEquals("", status.state(), "get_task: state defaults to empty, not pending");
        assertEquals("", status.queue());
        RunqyTaskInfo lower = RunqyTaskInfo.fromStatusResponse(Map.of("info", Map.of("state", "active")), "x");
        assertEquals("active", lower.state(), "Info first, then info");

        RunqyTaskInfo queued = RunqyTaskInfo.fromEnqueueResponse(Map.of(), "inference", Map.of("a", 1));
        assertEquals("", queued.taskId());
        assertEquals("inference", queued.queue());
        assertEquals("pending", queued.state());

        RunqyTaskInfo real = client.enqueue("inference", Map.of("k", "v"));
        assertEquals(Map.of("k", "v"), real.payload(), "the data sent, not the answer's base64 payload");
    }

    @Test
    void timeoutIsSentAsWholeSecondsAndTheDataWrapped() {
        client.enqueue("inference", Map.of("k", 1), Duration.ofMillis(1500));
        Map<?, ?> body = server.seenBodies.get(0);
        assertEquals(1L, body.get("timeout"));
        assertEquals(Map.of("k", 1L), body.get("data"));
        assertEquals("inference", body.get("queue"), "normalised by the server, not by us");
    }

    @Test
    void addBatchEnqueuesEveryJobWithItsOwnOrTheBatchTimeout() {
        RunqyBatchResult r = client.enqueueBatch("inference", List.of(
                RunqyClient.BatchJob.of(Map.of("prompt", "Hello")),
                new RunqyClient.BatchJob(Map.of("prompt", "Foo"), Duration.ofSeconds(600))), Duration.ofSeconds(300));
        assertEquals(2, r.enqueued());
        assertEquals(0, r.failed());
        assertEquals(2, r.taskIds().size());
        assertEquals(List.of(), r.errors());
        assertEquals(Map.of("prompt", "Hello"), server.task(r.taskIds().get(0)).get("data"));
        assertEquals(300L, server.task(r.taskIds().get(0)).get("timeout"));
        assertEquals(600L, server.task(r.taskIds().get(1)).get("timeout"));
        assertEquals("inference.default", server.task(r.taskIds().get(1)).get("queue"));
        assertEquals("Bearer " + FakeRunqyServer.CLIENT_KEY, server.seenHeaders.get(0).get("authorization"));
        assertTrue(client.waitTask(r.taskIds().get(1)).orElseThrow().isCompleted());

        assertThrows(IllegalArgumentException.class, () -> client.enqueueBatch("inference", List.of(), Duration.ofSeconds(1)));
        assertThrows(TaskNotFoundException.class, () -> client.enqueueBatch("nope",
                List.of(RunqyClient.BatchJob.of(Map.of())), Duration.ofSeconds(1)));
        RunqyException forbidden = assertThrows(RunqyException.class, () -> new RunqyClient(server.url(),
                FakeRunqyServer.WORKER_KEY).enqueueBatch("inference", List.of(RunqyClient.BatchJob.of(Map.of())),
                Duration.ofSeconds(1)));
        assertEquals(403, forbidden.status());
    }

    @Test
    void waitAnswersEmptyOn408() {
        RunqyTaskInfo queued = client.enqueue("inference", Map.of("options", Map.of("delay_ms", 5000)));
        assertTrue(client.waitTask(queued.taskId()).isEmpty());
    }

    private OperatorResult handle(RunqyBackedHandler handler, Map<String, Object> options) {
        return handler.handle(SimpleOperatorTask.of(List.of(Artifact.of("s3://b/in", "video")), options))
                .toCompletableFuture().join();
    }

    @Test
    void backedHandlerMapsRunqyStatesToOperatorResults() {
        RunqyBackedHandler handler = new RunqyBackedHandler(client, "inference", Duration.ofSeconds(60),
                Duration.ofSeconds(2), Duration.ofMillis(50));

        OperatorResult ok = handle(handler, Map.of("delay_ms", 500, "k", "v"));
        assertEquals(TaskStatus.SUCCESS, ok.status(), () -> String.valueOf(ok.error()));
        assertEquals(Map.of("delay_ms", 500L, "k", "v"), ok.results().get("echo"), "the runqy result is the results");

        OperatorResult text = handle(handler, Map.of("outcome", "text"));
        assertEquals(Map.of("result", "plain words"), text.results());

        OperatorResult archived = handle(handler, Map.of("outcome", "archive"));
        assertEquals(TaskStatus.FAILED, archived.status());
        assertEquals("RunqyTaskArchived", archived.error().type());
        assertEquals("model exploded", archived.error().message());
        assertFalse(archived.error().retryable());

        OperatorResult retrying = handle(handler, Map.of("outcome", "retry"));
        assertEquals("TaskTimeout", retrying.error().type());
        assertTrue(retrying.error().message().contains("still retry"), retrying.error().message());
        assertTrue(retrying.error().message().contains("GPU busy"), retrying.error().message());
        assertTrue(retrying.error().retryable());
    }

    @Test
    void backedHandlerReportsEnqueueFailures() {
        OperatorResult noQueue = handle(new RunqyBackedHandler(client, "missing"), Map.of());
        assertEquals("RunqyQueueNotFound", noQueue.error().type());
        assertFalse(noQueue.error().retryable());
        OperatorResult badKey = handle(new RunqyBackedHandler(new RunqyClient(server.url(), "bad"), "inference"), Map.of());
        assertEquals("RunqyAuthenticationFailed", badKey.error().type());
        server.close();
        OperatorResult down = handle(new RunqyBackedHandler(client, "inference"), Map.of());
        assertEquals("RunqyUnavailable", down.error().type());
        assertTrue(down.error().retryable());
    }
}
