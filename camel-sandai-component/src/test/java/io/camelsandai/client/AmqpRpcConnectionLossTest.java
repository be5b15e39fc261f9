package io.camelsandai.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.TaskStatus;
import io.camelsandai.testsupport.CeleryWorkerOptions;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RabbitMqExtension;
import io.camelsandai.transport.amqp.RpcResultConsumer;

/**
 * rpc:// across a cut connection: the reply queue (auto-delete, so deleted with the connection) is declared and
 * consumed again by topology recovery, and calls work again, against a stock Celery worker that reconnects too.
 */
class AmqpRpcConnectionLossTest {
    @RegisterExtension
    static final RabbitMqExtension RABBIT = RabbitMqExtension.create();
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theReplyQueueComesBackWithTheConnection() {
        Assumptions.assumeTrue(RABBIT.supportsAdmin());
        PYTHON.startWorker(CeleryWorkerOptions.builder().broker(RABBIT.url()).backend("rpc://")
                .operator("rpc-loss", "v1").pool(CeleryWorkerOptions.Pool.THREADS).concurrency(2).build());
        try (OperatorClient client = OperatorClient.create("rpc-loss", "v1", OperatorSettings.builder()
                .brokerUrl(RABBIT.url()).resultBackendUrl("rpc://").defaultTimeout(WAIT).build())) {
            RpcResultConsumer results = (RpcResultConsumer) client.results();
            OperatorRequest request = OperatorRequest.of(List.of(), Map.of("n", 1));
            assertEquals(TaskStatus.SUCCESS, client.call(request, CallOptions.DEFAULTS).status());

            RABBIT.closeAllConnections("test: forced disconnect");
            await().atMost(WAIT).until(() -> results.recoveryCount() >= 1 && results.isConnected());
            await().atMost(WAIT).until(() -> RABBIT.listQueues("name").contains(results.queue()));

            // the worker reconnects on its own; the task waits for it in its durable queue
            assertEquals(Map.of("n", 1L), client.call(request, CallOptions.DEFAULTS).results().get("echo"));
            assertEquals(0, client.resultsWaitedFor());
        }
    }
}
