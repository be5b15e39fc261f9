package io.camelsandai.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.model.TaskCancelledException;
import io.camelsandai.model.TaskStatus;
import io.camelsandai.model.TaskTimeoutException;
import io.camelsandai.testsupport.CeleryWorker;
import io.camelsandai.testsupport.CeleryWorkerOptions;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java client against a stock Python Celery worker that implements the operator contract: every operation and
 * every typed error, with each task serializer and each result serializer.
 */
class ClientInteropTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    static Stream<Arguments> serializers() {
        return Stream.of(Arguments.of("msgpack", "json"), Arguments.of("json", "json"),
                Arguments.of("msgpack", "msgpack"));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        closeables.clear();
        REDIS.flushAll();
    }

    private OperatorClient client(String taskSerializer, String resultSerializer) {
        startPythonWorker(taskSerializer, resultSerializer);
        OperatorClient client = OperatorClient.create("video-clipper", "v1", OperatorSettings.builder()
                .brokerUrl(REDIS.url()).taskSerializer(taskSerializer).resultSerializer(resultSerializer)
                .defaultTimeout(WAIT).build());
        closeables.add(client);
        return client;
    }

    private void startPythonWorker(String taskSerializer, String resultSerializer) {
        CeleryWorker worker = PYTHON.startWorker(CeleryWorkerOptions.builder().redis(REDIS)
                .operator("video-clipper", "v1").pool(CeleryWorkerOptions.Pool.THREADS).concurrency(4)
                .taskSerializer(taskSerializer).resultSerializer(resultSerializer).build());
        closeables.add(worker);
    }

    private static OperatorRequest request(Map<String, Object> options) {
        return OperatorRequest.of(List.of(Artifact.of("s3://in/video.mp4", "video")), options);
    }

    @ParameterizedTest(name = "task {0}, result {1}")
    @MethodSource("serializers")
    void everyOutcomeAndTypedError(String taskSerializer, String resultSerializer) {
        OperatorClient client = client(taskSerializer, resultSerializer);

        ContractOutcomes.assertSuccessFailuresAndDeadline(client);

        client.cancel("job-42");
        assertThrows(TaskCancelledException.class,
                () -> client.call(request(Map.of()), CallOptions.DEFAULTS.withCancelKey("job-42")));

        TaskTimeoutException timeout = assertThrows(TaskTimeoutException.class, () -> client.call(
                request(Map.of("sleep", 3)), CallOptions.timeout(Duration.ofMillis(300))));
        assertNotNull(timeout.taskId());
    }

    @Test
    void progressIsSeenBeforeTheResult() {
        OperatorClient client = client("msgpack", "json");
        List<ResultMeta> progress = new CopyOnWriteArrayList<>();
        OperatorResult result = TaskHandle.join(client.callAsync(request(Map.of("progress", true, "sleep", 0.5)),
                CallOptions.DEFAULTS, progress::add));
        assertTrue(result.isSuccess());
        assertFalse(progress.isEmpty(), "a PROGRESS meta was published before SUCCESS");
        assertEquals(Map.of("progress", 50L, "message", "half"), progress.get(0).result());
    }

    @Test
    void descPingProbeAndQueueInfo() {
        OperatorClient client = client("msgpack", "json");
        Map<String, Object> desc = client.desc();
        assertEquals("video-clipper", desc.get("name"));
        assertEquals("v1", desc.get("version"));
        assertTrue(client.ping());
        ProbeResult probe = client.probe(Duration.ofSeconds(10));
        assertTrue(probe.healthy(), String.valueOf(probe));
        assertNull(probe.error());
        assertEquals("very_low.video-clipper.v1", client.queueInfo().get(Priority.VERY_LOW));
    }

    @Test
    void structuredBatchKeepsEveryOutcomeInInputOrder() {
        OperatorClient client = client("msgpack", "json");
        List<OperatorRequest> inputs = List.of(request(Map.of("i", 0)),
                request(Map.of("fail", Map.of("type", "Bad", "message", "no", "retryable", false))),
                request(Map.of("i", 2)), request(Map.of("raise", "x")), request(Map.of("i", 4)));
        List<BatchTaskResult> results = client.batchCallDetailed(inputs, CallOptions.DEFAULTS);
        assertEquals(5, results.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(i, results.get(i).index());
            assertNotNull(results.get(i).taskId());
        }
        assertTrue(results.get(0).succeeded());
        assertEquals(0L, ((Map<?, ?>) results.get(0).results().get("echo")).get("i"));
        assertEquals(TaskStatus.FAILED, results.get(1).status());
        assertEquals("Bad", results.get(1).result().error().type());
        assertTrue(results.get(2).succeeded());
        assertEquals(TaskStatus.FAILED, results.get(3).status());
        assertEquals("ValueError", results.get(3).result().error().type());
        assertTrue(results.get(4).succeeded());

        List<Map.Entry<List<Artifact>, Map<String, Object>>> legacy = client.batchCall(inputs, CallOptions.DEFAULTS);
        assertTrue(legacy.get(1).getKey().isEmpty() && legacy.get(1).getValue().isEmpty());
        assertFalse(legacy.get(4).getValue().isEmpty());
    }

    @Test
    void submitThenHandleAndAutoForget() {
        startPythonWorker("msgpack", "json");
        OperatorClient forgetting = OperatorClient.create("video-clipper", "v1", OperatorSettings.builder()
                .brokerUrl(REDIS.url()).autoForgetResult(true).build());
        closeables.add(forgetting);
        TaskHandle handle = forgetting.submit(request(Map.of()), CallOptions.DEFAULTS);
        assertTrue(handle.get(WAIT).isSuccess());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> "PENDING".equals(handle.state()));
    }

    @Test
    void submitErrorsAreTypedWhenRedisIsDown() {
        OperatorClient client = OperatorClient.create("video-clipper", "v1", OperatorSettings.builder()
                .brokerUrl("redis://:hunter2@127.0.0.1:1/0").connectTimeout(Duration.ofMillis(300)).build());
        closeables.add(client);
        assertFalse(client.ping());
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> client.submit(request(Map.of()), CallOptions.DEFAULTS));
        assertFalse(String.valueOf(e.getMessage()).contains("hunter2"), e.getMessage());
        assertInstanceOf(io.camelsandai.model.SandaiException.class, e);
    }
}
