package io.camelsandai.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.component.SandaiConstants;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.InvalidResultFormatException;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskStatus;
import io.camelsandai.model.TaskTimeoutException;
import io.camelsandai.testsupport.CeleryWorkerOptions;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RabbitMqExtension;
import io.camelsandai.transport.amqp.AmqpConnectionSettings;
import io.camelsandai.transport.amqp.AmqpConnections;
import io.camelsandai.transport.amqp.RpcResultConsumer;

/**
 * {@code brokerUrl=amqp://...}, {@code resultBackendUrl=rpc://}: the Java client against stock Python Celery workers
 * configured with {@code result_backend='rpc://'} (no Redis anywhere), one per result serializer, sharing one vhost.
 */
class AmqpRpcBackendTest {
    @RegisterExtension
    static final RabbitMqExtension RABBIT = RabbitMqExtension.create();
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    private static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeAll
    static void startWorkers() {
        for (String serializer : List.of("json", "msgpack")) {
            PYTHON.startWorker(CeleryWorkerOptions.builder().broker(RABBIT.url()).backend("rpc://")
                    .operator(operator(serializer), "v1").pool(CeleryWorkerOptions.Pool.THREADS).concurrency(4)
                    .resultSerializer(serializer).nodeName("rpc-" + serializer).build());
        }
    }

    /** The worker whose results are written with {@code resultSerializer}. */
    private static String operator(String resultSerializer) {
        return "rpc-" + resultSerializer;
    }

    private static OperatorClient client(String resultSerializer) {
        return OperatorClient.create(operator(resultSerializer), "v1", OperatorSettings.builder()
                .brokerUrl(RABBIT.url()).resultBackendUrl("rpc://").defaultTimeout(WAIT).build());
    }

    private static OperatorRequest request(Map<String, Object> options) {
        return OperatorRequest.of(List.of(Artifact.of("s3://in/video.mp4", "video")), options);
    }

    @ParameterizedTest(name = "result serializer {0}")
    @ValueSource(strings = { "json", "msgpack" })
    void everyOutcomeComesBackOnTheReplyQueue(String resultSerializer) {
        try (OperatorClient client = client(resultSerializer)) {
            assertTrue(client.settings().isRpcBackend());
            ContractOutcomes.assertSuccessFailuresAndDeadline(client);

            List<ResultMeta> progress = new CopyOnWriteArrayList<>();
            OperatorResult afterProgress = TaskHandle.join(client.callAsync(request(Map.of("progress", true)),
                    CallOptions.DEFAULTS, progress::add));
            assertEquals(TaskStatus.SUCCESS, afterProgress.status());
            assertEquals(1, progress.size(), "the PROGRESS message reached the progress callback before SUCCESS");
            assertEquals(CeleryState.PROGRESS, progress.get(0).status());
            assertEquals(Map.of("progress", 50L, "message", "half"), progress.get(0).result());

            assertEquals("rpc-" + resultSerializer, client.desc().get("name"));
            assertEquals(0, client.resultsWaitedFor());
        }
    }

    @Test
    void aTimedOutCallTimesOutAndItsLateResultIsDropped() {
        try (OperatorClient client = client("json")) {
            CompletableFuture<OperatorResult> timedOut = client.callAsync(request(Map.of("sleep", 1)),
                    CallOptions.timeout(Duration.ofMillis(200)), null);
            TaskTimeoutException timeout = assertThrows(TaskTimeoutException.class, () -> TaskHandle.join(timedOut));
            await().atMost(WAIT).until(() -> client.resultsWaitedFor() == 0); // let go right after the timeout
            // Sent after the timed-out task and finishing after it: once this answer is here, the late result (put on
            // the same FIFO reply queue before it) has been consumed too.
            assertEquals(TaskStatus.SUCCESS, client.call(request(Map.of("sleep", 1.5)), CallOptions.DEFAULTS).status());
            assertNull(client.results().get(timeout.taskId()), "the late result of a timed-out call is not kept");
            assertEquals(0, client.resultsWaitedFor());
        }
    }

    @Test
    void submitNowGetLaterAndWhatRpcCannotDo() {
        try (OperatorClient client = client("msgpack")) {
            TaskHandle handle = client.submit(request(Map.of("clip_duration", 3)), CallOptions.DEFAULTS);
            // the result arrives while nobody waits: kept (bounded) for a later get, as Celery's result consumer does
            await().atMost(WAIT).until(() -> client.results().get(handle.id()) != null);
            assertEquals(CeleryState.SUCCESS, handle.state());
            assertTrue(handle.ready());
            assertEquals(Map.of("clip_duration", 3L), handle.get(WAIT).results().get("echo"));
            handle.forget();
            assertEquals(CeleryState.PENDING, handle.state());

            UnsupportedOperationException cancel = assertThrows(UnsupportedOperationException.class,
                    () -> client.cancel("job-1"));
            assertTrue(cancel.getMessage().contains("rpc://"), cancel.getMessage());
            assertThrows(UnsupportedOperationException.class, client::backend);
            assertTrue(client.probe(WAIT).healthy());
        }
    }

    @Test
    void theReplyQueueIsDeclaredAsCeleryDeclaresItAndGoesWithTheClient() {
        org.junit.jupiter.api.Assumptions.assumeTrue(RABBIT.supportsAdmin());
        String queue;
        try (OperatorClient client = client("json")) {
            queue = ((RpcResultConsumer) client.results()).queue();
            List<String> rows = RABBIT.listQueues("name", "durable", "auto_delete", "exclusive", "arguments");
            String row = rows.stream().filter(r -> r.startsWith(queue + "\t")).findFirst().orElseThrow(
                    () -> new AssertionError("no reply queue " + queue + " in " + rows));
            assertEquals(queue + "\tfalse\ttrue\tfalse\t[{\"x-expires\",86400000}]", row);
            // Celery's own declaration of that queue (RPCBackend.binding) is equivalent: no PRECONDITION_FAILED
            PYTHON.runScript("rpc_reply_queue.py", Map.of(), RABBIT.url(), queue).assertSuccess();
        }
        await().atMost(WAIT).until(() -> RABBIT.listQueues("name").stream().noneMatch(queue::equals));
    }

    @Test
    void twoClientsOnOneVhostEachGetOnlyTheirOwnResults() {
        try (OperatorClient a = client("json"); OperatorClient b = client("json")) {
            assertFalse(((RpcResultConsumer) a.results()).queue().equals(((RpcResultConsumer) b.results()).queue()));
            List<CompletableFuture<OperatorResult>> calls = new ArrayList<>();
            List<OperatorClient> callers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                OperatorClient caller = i % 2 == 0 ? a : b;
                callers.add(caller);
                calls.add(caller.callAsync(request(Map.of("n", i)), CallOptions.DEFAULTS, null));
            }
            List<String> idsOfA = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                OperatorResult r = TaskHandle.join(calls.get(i));
                assertEquals(Map.of("n", (long) i), r.results().get("echo"), "call " + i + " got its own answer");
                if (callers.get(i) == a) {
                    idsOfA.add((String) r.results().get("task_id"));
                }
            }
            // A's results went to A's queue only: B never saw them (not even as unclaimed results)
            idsOfA.forEach(id -> assertNull(b.results().get(id), id));
            assertEquals(0, a.resultsWaitedFor());
            assertEquals(0, b.resultsWaitedFor());
        }
    }

    @Test
    void aCamelEndpointWithResultBackendUrlRpc() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:rpc").to("sandai:rpc-msgpack:v1?brokerUrl=RAW(" + RABBIT.url()
                                          + ")&resultBackendUrl=rpc://&timeout=20");
                    // and this component's own operator runtime answering by rpc:// too
                    from("sandai:rpc-java:v1?brokerUrl=RAW(" + RABBIT.url() + ")&resultBackendUrl=rpc://"
                         + "&shutdownTimeout=5s").process(e -> e.getMessage().setBody(Map.of("echo",
                            e.getMessage().getBody(OperatorRequest.class).options())));
                    from("direct:rpc-java").to("sandai:rpc-java:v1?brokerUrl=RAW(" + RABBIT.url()
                                               + ")&resultBackendUrl=rpc://&timeout=20");
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            Exchange reply = template.request("direct:rpc", e -> e.getMessage().setBody(Map.of("input_artifacts",
                    List.of(Map.of("uri", "s3://in/video.mp4", "slot", "video")), "options", Map.of("clip_duration", 7))));
            assertNull(reply.getException());
            assertEquals("success", reply.getMessage().getHeader(SandaiConstants.STATUS));
            assertEquals(Map.of("clip_duration", 7L),
                    ((Map<?, ?>) reply.getMessage().getBody(Map.class).get("results")).get("echo"));

            Exchange fromJava = template.request("direct:rpc-java", e -> e.getMessage().setBody(Map.of(
                    "input_artifacts", List.of(), "options", Map.of("n", 7))));
            assertNull(fromJava.getException());
            assertEquals("success", fromJava.getMessage().getHeader(SandaiConstants.STATUS));
            assertTrue(String.valueOf(fromJava.getMessage().getBody(Map.class).get("results")).contains("n=7"),
                    String.valueOf(fromJava.getMessage().getBody()));
        }
    }

    /** Messages put on a reply queue by hand, as a worker would: routed by correlation_id, read by content_type. */
    @Test
    void repliesAreRoutedByCorrelationIdAndReadByContentType() throws Exception {
        String queue = "reply-" + java.util.UUID.randomUUID();
        try (RpcResultConsumer results = new RpcResultConsumer(RABBIT.amqpUrl(), AmqpConnectionSettings.DEFAULT,
                "rpc-unit", queue, 86_400);
             com.rabbitmq.client.Connection peer = AmqpConnections.open(RABBIT.amqpUrl(), AmqpConnectionSettings.DEFAULT,
                     "rpc-unit-peer")) {
            com.rabbitmq.client.Channel ch = peer.createChannel();
            java.util.function.BiConsumer<String, ResultMeta> reply = (mime, meta) -> {
                try {
                    ch.basicPublish("", queue, new com.rabbitmq.client.AMQP.BasicProperties.Builder().contentType(mime)
                            .correlationId(meta.taskId()).deliveryMode(1).priority(0).headers(Map.of()).build(),
                            meta.encode(ContentType.fromMimeType(mime)));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            List<ResultMeta> progress = new CopyOnWriteArrayList<>();
            CompletableFuture<ResultMeta> waited = results.awaitFinal("t-1", progress::add, false);
            reply.accept("application/x-msgpack", ResultMeta.of("t-1", CeleryState.PROGRESS, Map.of("p", 1L), null));
            reply.accept("application/json", ResultMeta.of("t-2", CeleryState.SUCCESS, Map.of("n", 2L), null));
            reply.accept("application/json", ResultMeta.of("t-1", CeleryState.SUCCESS, Map.of("n", 1L), null));
            assertEquals(Map.of("n", 1L), waited.get(20, java.util.concurrent.TimeUnit.SECONDS).result());
            assertEquals(List.of(Map.of("p", 1L)), progress.stream().map(ResultMeta::result).toList());
            // nobody waited for t-2 yet: kept, and handed over to the first wait
            assertEquals(Map.of("n", 2L), results.get("t-2").result());
            assertEquals(Map.of("n", 2L), results.awaitFinal("t-2", null, false).get(5,
                    java.util.concurrent.TimeUnit.SECONDS).result());
            assertNull(results.get("t-2"));

            // pickle is never deserialized: the waiting call fails instead
            CompletableFuture<ResultMeta> pickled = results.awaitFinal("t-3", null, false);
            ch.basicPublish("", queue, new com.rabbitmq.client.AMQP.BasicProperties.Builder()
                    .contentType("application/x-python-serialize").correlationId("t-3").build(), new byte[] { (byte) 0x80, 4 });
            java.util.concurrent.ExecutionException bad = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> pickled.get(20, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(bad.getCause() instanceof InvalidResultFormatException, String.valueOf(bad.getCause()));
            assertEquals(0, results.waitingCount());
        }
    }
}
