package io.camelsandai.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskCancelledException;
import io.camelsandai.model.TaskStatus;
import io.camelsandai.model.TaskTimeoutException;
import io.camelsandai.testsupport.CeleryWorkerOptions;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RabbitMqExtension;
import io.camelsandai.testsupport.RedisServerExtension;

/**
 * The Java client with {@code brokerUrl=amqp://...} against a stock Python Celery worker consuming from RabbitMQ,
 * results on Redis: every outcome of the operator contract, with each task serializer. One worker for the class.
 */
class AmqpClientInteropTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    @RegisterExtension
    static final RabbitMqExtension RABBIT = RabbitMqExtension.create();
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    private static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeAll
    static void startWorker() {
        PYTHON.startWorker(CeleryWorkerOptions.builder().broker(RABBIT.url()).backend(REDIS.url())
                .operator("video-clipper", "v1").pool(CeleryWorkerOptions.Pool.THREADS).concurrency(4)
                .resultSerializer("json").env("SANDAI_TEST_CANCEL_URL", REDIS.url()).build());
    }

    private static OperatorClient client(String taskSerializer) {
        return OperatorClient.create("video-clipper", "v1", OperatorSettings.builder().brokerUrl(RABBIT.url())
                .resultBackendUrl(REDIS.url()).taskSerializer(taskSerializer).defaultTimeout(WAIT).build());
    }

    private static OperatorRequest request(Map<String, Object> options) {
        return OperatorRequest.of(List.of(Artifact.of("s3://in/video.mp4", "video")), options);
    }

    @ParameterizedTest(name = "task serializer {0}")
    @ValueSource(strings = { "msgpack", "json" })
    void everyOutcomeOfTheContract(String taskSerializer) {
        try (OperatorClient client = client(taskSerializer)) {
            assertTrue(client.settings().isAmqpBroker());
            ContractOutcomes.assertSuccessFailuresAndDeadline(client);

            // with RabbitMQ as broker the cancel key lives on the Redis result backend
            String cancelKey = "job-" + taskSerializer;
            client.cancel(cancelKey);
            try (var jedis = REDIS.newJedis()) {
                assertTrue(jedis.exists(client.settings().cancelKeyPrefix() + cancelKey));
            }
            assertThrows(TaskCancelledException.class,
                    () -> client.call(request(Map.of()), CallOptions.DEFAULTS.withCancelKey(cancelKey)));

            TaskTimeoutException timeout = assertThrows(TaskTimeoutException.class, () -> client.call(
                    request(Map.of("sleep", 3)), CallOptions.timeout(Duration.ofMillis(300))));
            assertNotNull(timeout.taskId());
        }
    }

    @Test
    void progressIsSeenBeforeTheResult() {
        try (OperatorClient client = client("msgpack")) {
            List<ResultMeta> progress = new CopyOnWriteArrayList<>();
            OperatorResult result = io.camelsandai.client.TaskHandle.join(client.callAsync(
                    request(Map.of("progress", true, "sleep", 0.5)), CallOptions.DEFAULTS, progress::add));
            assertEquals(TaskStatus.SUCCESS, result.status());
            assertFalse(progress.isEmpty(), "a PROGRESS meta was published before SUCCESS");
            assertEquals(Map.of("progress", 50L, "message", "half"), progress.get(0).result());
        }
    }

    @Test
    void describeProbeAndQueueDepthsOverRabbitMq() {
        try (OperatorClient client = client("msgpack")) {
            Map<String, Object> desc = client.desc();
            assertEquals("video-clipper", desc.get("name"));
            assertTrue(client.probe(WAIT).healthy());
            assertTrue(client.brokerAvailable());
            Map<String, Long> depths = client.queueDepths();
            assertEquals(4, depths.size());
            depths.values().forEach(d -> assertTrue(d >= 0));
            assertThrows(UnsupportedOperationException.class, client::broker);
        }
    }
}
