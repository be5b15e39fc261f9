package io.camelsandai.component;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.client.ProbeResult;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.InvalidPriorityException;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskCancelledException;
import io.camelsandai.model.TaskExecutionException;
import io.camelsandai.model.TaskTimeoutException;
import io.camelsandai.testsupport.CeleryWorkerOptions;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RedisServerExtension;
import redis.clients.jedis.Jedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code sandai:} producer against a stock Python Celery worker implementing the operator contract. */
class SandaiProducerInteropTest extends CamelTestSupport {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    @BeforeAll
    static void startOperator() {
        // Class-level worker: started once, stopped by the harness after the class.
        PYTHON.startWorker(CeleryWorkerOptions.builder().redis(REDIS).operator("video-clipper", "v1")
                .pool(CeleryWorkerOptions.Pool.THREADS).concurrency(4).build());
    }

    private static String uri(String options) {
        return "sandai:video-clipper:v1?brokerUrl=" + REDIS.url() + "&timeout=20s" + (options.isEmpty() ? "" : "&" + options);
    }

    private static Map<String, Object> request(Map<String, Object> options) {
        Map<String, Object> body = new HashMap<>();
        body.put("input_artifacts", List.of(Map.of("uri", "s3://in/video.mp4", "slot", "video")));
        body.put("options", options);
        return body;
    }

    private Exchange inOut(String uri, Object body, Map<String, Object> headers) {
        return template.send(uri, ExchangePattern.InOut, e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeaders(new HashMap<>(headers));
        });
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").routeId("caller").to(uri("serializer=msgpack"));
            }
        };
    }

    @Test
    void inOutReturnsArtifactsAndResultsWithHeaders() {
        Exchange out = inOut(uri(""), request(Map.of("clip_duration", 10)),
                Map.of(SandaiConstants.PRIORITY, "high", SandaiConstants.PERSISTENT_OUTPUT, true));
        assertNull(out.getException());
        Map<?, ?> body = out.getMessage().getBody(Map.class);
        assertEquals(List.of("artifacts", "results"), List.copyOf(body.keySet()));
        Map<?, ?> clip = (Map<?, ?>) ((List<?>) body.get("artifacts")).get(0);
        assertEquals("s3://in/video.mp4.clip-0", clip.get("uri"));
        assertEquals("clip", clip.get("slot"));
        Map<?, ?> results = (Map<?, ?>) body.get("results");
        assertEquals(Map.of("clip_duration", 10L), results.get("echo"));
        Map<?, ?> meta = (Map<?, ?>) results.get("meta");
        assertEquals("high", meta.get("priority"), "the priority header overrides the endpoint option");
        assertEquals(Boolean.TRUE, meta.get("persistent-output"));
        assertEquals("float", ((Map<?, ?>) results.get("types")).get("deadline"), "timeout becomes a float deadline");

        String taskId = out.getMessage().getHeader(SandaiConstants.TASK_ID, String.class);
        assertEquals(results.get("task_id"), taskId);
        assertEquals("success", out.getMessage().getHeader(SandaiConstants.STATUS));
        OperatorResult typed = out.getProperty(SandaiConstants.RESULT_PROPERTY, OperatorResult.class);
        assertEquals("s3://in/video.mp4.clip-0", typed.artifactsInSlot("clip").get(0).uri());
    }

    @Test
    void typedRequestBodyThroughARoute() {
        OperatorRequest request = OperatorRequest.of(List.of(Artifact.of("s3://b/k.mp4", "video")), Map.of("k", "v"));
        Map<?, ?> body = template.requestBody("direct:call", request, Map.class);
        assertEquals(Map.of("k", "v"), ((Map<?, ?>) body.get("results")).get("echo"));
    }

    @Test
    void failuresAreTypedExceptionsWithStatusHeader() {
        Exchange failed = inOut(uri(""), request(Map.of("fail", Map.of("type", "ArtifactNotFound", "message", "gone",
                "retryable", true))), Map.of());
        TaskExecutionException e = assertInstanceOf(TaskExecutionException.class, failed.getException());
        assertEquals("ArtifactNotFound", e.errorType());
        assertTrue(e.isRetryable());
        assertEquals("failed", failed.getMessage().getHeader(SandaiConstants.STATUS));
        assertNotNull(failed.getMessage().getHeader(SandaiConstants.TASK_ID));

        Exchange raised = inOut(uri(""), request(Map.of("raise", "boom")), Map.of());
        assertEquals("ValueError", assertInstanceOf(TaskExecutionException.class, raised.getException()).errorType());
    }

    @Test
    void timeoutHeaderBoundsTheWait() {
        Exchange out = inOut(uri(""), request(Map.of("sleep", 3)), Map.of(SandaiConstants.TIMEOUT, "300ms"));
        assertInstanceOf(TaskTimeoutException.class, out.getException());
    }

    @Test
    void lastProgressIsReportedInHeaders() {
        Exchange out = inOut(uri(""), request(Map.of("progress", true, "sleep", 0.5)), Map.of());
        assertNull(out.getException());
        assertEquals(50, out.getMessage().getHeader(SandaiConstants.PROGRESS));
        assertEquals("half", out.getMessage().getHeader(SandaiConstants.PROGRESS_MESSAGE));
    }

    @Test
    void inOnlySendsAndSetsTheTaskId() throws Exception {
        Exchange sent = template.send(uri(""), ExchangePattern.InOnly, e -> e.getMessage().setBody(request(Map.of())));
        assertNull(sent.getException());
        String taskId = sent.getMessage().getHeader(SandaiConstants.TASK_ID, String.class);
        assertNotNull(taskId);
        try (io.camelsandai.client.OperatorClient client = io.camelsandai.client.OperatorClient.create("video-clipper",
                "v1", io.camelsandai.client.OperatorSettings.builder().brokerUrl(REDIS.url()).build())) {
            assertTrue(client.handle(taskId).get(Duration.ofSeconds(20)).isSuccess());
        }
    }

    @Test
    void inOutNeverBlocksTheCallingThread() throws Exception {
        AsyncProducer producer = context.getEndpoint(uri("")).createAsyncProducer();
        producer.start();
        String release = "release-" + UUID.randomUUID();
        try {
            Exchange exchange = new DefaultExchange(context, ExchangePattern.InOut);
            // the operator holds the task until the test sets the release key
            exchange.getMessage().setBody(request(Map.of("wait_for_key", release)));
            CountDownLatch done = new CountDownLatch(1);
            AtomicBoolean doneSync = new AtomicBoolean(true);
            boolean sync = producer.process(exchange, s -> {
                doneSync.set(s);
                done.countDown();
            });
            // had process() held the thread until the result, the task could only have ended by timing out
            assertFalse(sync, "an InOut call completes later, on another thread");
            assertEquals(1, done.getCount(), "process returned before the operator answered");
            assertNull(exchange.getMessage().getHeader(SandaiConstants.STATUS));
            try (Jedis jedis = REDIS.newJedis()) {
                jedis.set(release, "1");
            }
            assertTrue(done.await(20, TimeUnit.SECONDS));
            assertFalse(doneSync.get());
            assertNull(exchange.getException());
            assertEquals("success", exchange.getMessage().getHeader(SandaiConstants.STATUS));
        } finally {
            producer.stop();
        }
    }

    @Test
    void descPingAndProbe() {
        Map<?, ?> desc = template.requestBody(uri("operation=desc"), null, Map.class);
        assertEquals("video-clipper", desc.get("name"));
        assertEquals(List.of("video"), desc.get("input_slots"));
        assertEquals(Boolean.TRUE, template.requestBody(uri("operation=ping"), (Object) null));
        Object probe = template.requestBodyAndHeader(uri("operation=probe"), null, SandaiConstants.TIMEOUT,
                Duration.ofSeconds(10));
        assertTrue(assertInstanceOf(ProbeResult.class, probe).healthy(), String.valueOf(probe));
        // The operation header overrides the option.
        assertEquals(Boolean.TRUE, template.requestBodyAndHeader(uri(""), null, SandaiConstants.OPERATION, "ping"));
    }

    @Test
    void pingIsFalseWhenRedisIsUnreachable() {
        Object ping = template.requestBody("sandai:video-clipper:v1?operation=ping&connectTimeout=300ms"
                                           + "&brokerUrl=redis://:hunter2@127.0.0.1:1/0", (Object) null);
        assertEquals(Boolean.FALSE, ping);
    }

    @Test
    void cancelKeySkipsTasksCarryingIt() {
        template.sendBodyAndHeader(uri("operation=cancel"), null, SandaiConstants.CANCEL_KEY, "job-9");
        Exchange out = inOut(uri(""), request(Map.of()), Map.of(SandaiConstants.CANCEL_KEY, "job-9"));
        assertInstanceOf(TaskCancelledException.class, out.getException());
        assertEquals("cancelled", out.getMessage().getHeader(SandaiConstants.STATUS));
        Exchange other = inOut(uri("cancelKey=job-10"), request(Map.of()), Map.of());
        assertNull(other.getException(), "a different cancel key is not cancelled");

        Exchange missing = template.send(uri("operation=cancel"), e -> e.getMessage().setBody(null));
        assertInstanceOf(IllegalArgumentException.class, missing.getException());
    }

    @Test
    void batchReturnsOneStructuredEntryPerInputInOrder() {
        List<Object> inputs = List.of(request(Map.of("i", 0)),
                request(Map.of("fail", Map.of("type", "Bad", "message", "no"))),
                OperatorRequest.of(List.of(), Map.of("i", 2)));
        List<?> out = template.requestBody(uri("operation=batch"), inputs, List.class);
        assertEquals(3, out.size());
        for (int i = 0; i < 3; i++) {
            Map<?, ?> entry = (Map<?, ?>) out.get(i);
            assertEquals(i, entry.get("index"));
            assertNotNull(entry.get("task_id"));
            assertEquals(List.of("index", "task_id", "status", "artifacts", "results", "error"),
                    List.copyOf(entry.keySet()));
        }
        Map<?, ?> first = (Map<?, ?>) out.get(0);
        assertEquals("success", first.get("status"));
        assertNull(first.get("error"));
        assertEquals(Map.of("i", 0L), ((Map<?, ?>) first.get("results")).get("echo"));
        Map<?, ?> second = (Map<?, ?>) out.get(1);
        assertEquals("failed", second.get("status"));
        assertEquals("Bad", ((Map<?, ?>) second.get("error")).get("type"));
        assertEquals("success", ((Map<?, ?>) out.get(2)).get("status"));
    }

    @Test
    void badInputFailsTheExchangeWithAClearError() {
        Exchange notARequest = template.send(uri(""), ExchangePattern.InOut, e -> e.getMessage().setBody("hello"));
        IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, notARequest.getException());
        assertTrue(e.getMessage().contains(OperatorRequest.EXPECTED_SHAPE), e.getMessage());

        Exchange wrongKey = template.send(uri(""), ExchangePattern.InOut,
                x -> x.getMessage().setBody(Map.of("inputs", List.of())));
        assertTrue(wrongKey.getException().getMessage().contains("\"inputs\""));

        Exchange badPriority = inOut(uri(""), request(Map.of()), Map.of(SandaiConstants.PRIORITY, "urgent"));
        assertInstanceOf(InvalidPriorityException.class, badPriority.getException());

        Exchange notAList = template.send(uri("operation=batch"), x -> x.getMessage().setBody(request(Map.of())));
        assertInstanceOf(IllegalArgumentException.class, notAList.getException());
    }

    @Test
    void producerHealthCheckReportsBrokerReadiness() {
        HealthCheckRepository producers = HealthCheckHelper.getHealthCheckRepository(context, "producers");
        assertNotNull(producers, "camel-health provides the producers repository");
        producers.setEnabled(true); // Camel ships producer checks disabled; enabling the repository lists them
        HealthCheck check = producers.stream().filter(c -> c.getId().startsWith("producer:sandai-video-clipper-v1"))
                .findFirst().orElseThrow();
        assertFalse(check.isLiveness());
        assertEquals(HealthCheck.State.UP, check.callReadiness().getState());
    }
}
