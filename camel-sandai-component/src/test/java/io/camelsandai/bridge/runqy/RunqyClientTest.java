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
