package io.camelsandai.component;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.TaskExecutionException;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.testsupport.SendTask;
import io.camelsandai.testsupport.SendTaskResult;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A route served as the operator {@code echo-op:v1}: our producer and the stock Python Celery client call it. The
 * route's behaviour is selected by the request options (fail, retry, value, progress).
 */
class SandaiConsumerTest extends CamelTestSupport {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    private static final String OPERATOR = "sandai:echo-op:v1";

    private static String connection() {
        return "brokerUrl=" + REDIS.url();
    }

    private static String producer(String options) {
        return OPERATOR + "?" + connection() + "&timeout=20s" + (options.isEmpty() ? "" : "&" + options);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(OPERATOR + "?" + connection() + "&concurrency=2&visibilityTimeout=30s&shutdownTimeout=5s"
                     + "&description=RAW(Echoes its input)&inputSlots=video&outputSlots=clip,thumb"
                     + "&optionsSchema=RAW({\"type\":\"object\"})&resultsSchema=classpath:sandai-test-results-schema.json")
                        .routeId("echo")
                        .process(SandaiConsumerTest::serve);
            }
        };
    }

    /** The operator's work, chosen by the options of the request. */
    private static void serve(Exchange exchange) {
        OperatorRequest request = exchange.getMessage().getBody(OperatorRequest.class);
        Map<String, Object> options = request.options();
        if (options.containsKey("fail")) {
            throw new IllegalStateException(String.valueOf(options.get("fail")));
        }
        if (options.containsKey("retry")) {
            throw new SandaiRetryableException("StorageUnavailable", "try later", null);
        }
        if (options.containsKey("progress")) {
            SandaiProgress.report(exchange, 40, "working");
        }
        if (options.containsKey("value")) {
            exchange.getMessage().setBody(options.get("value"));
            return;
        }
        Map<String, Object> headers = exchange.getMessage().getHeaders();
        exchange.getMessage().setBody(Map.of(
                "artifacts", List.of(Map.of("uri", request.inputArtifacts().isEmpty() ? "s3://none"
                        : request.inputArtifacts().get(0).uri() + ".clip", "slot", "clip")),
                "results", Map.of(
                        "echo", options,
                        "task_id", String.valueOf(headers.get(SandaiConstants.TASK_ID)),
                        "priority", String.valueOf(headers.get(SandaiConstants.PRIORITY)),
                        "has_deadline", headers.get(SandaiConstants.DEADLINE) != null,
                        "cancel_key", String.valueOf(headers.get(SandaiConstants.CANCEL_KEY)),
                        "persistent", String.valueOf(headers.get(SandaiConstants.PERSISTENT_OUTPUT)),
                        "retries", String.valueOf(headers.get(SandaiConstants.RETRIES)),
                        "kwargs_keys", String.valueOf(((Map<?, ?>) exchange.getProperty(SandaiConstants.KWARGS_PROPERTY))
                                .keySet()))));
    }

    private static Map<String, Object> request(Map<String, Object> options) {
        return Map.of("input_artifacts", List.of(Map.of("uri", "s3://in/v.mp4", "slot", "video")), "options", options);
    }

    private Exchange call(Object body, Map<String, Object> headers) {
        return template.send(producer(""), ExchangePattern.InOut, e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeaders(new java.util.HashMap<>(headers));
        });
    }

    @Test
    void javaProducerToJavaConsumer() {
        Exchange out = call(request(Map.of("n", 1)), Map.of(SandaiConstants.PRIORITY, "low",
                SandaiConstants.CANCEL_KEY, "k-1", SandaiConstants.PERSISTENT_OUTPUT, true));
        assertNull(out.getException());
        Map<?, ?> body = out.getMessage().getBody(Map.class);
        assertEquals("s3://in/v.mp4.clip", ((Map<?, ?>) ((List<?>) body.get("artifacts")).get(0)).get("uri"));
        Map<?, ?> results = (Map<?, ?>) body.get("results");
        assertEquals(Map.of("n", 1L), results.get("echo"));
        assertEquals(out.getMessage().getHeader(SandaiConstants.TASK_ID), results.get("task_id"));
        assertEquals("low", results.get("priority"));
        assertEquals(Boolean.TRUE, results.get("has_deadline"));
        assertEquals("k-1", results.get("cancel_key"));
        assertEquals("true", results.get("persistent"));
        assertEquals("0", results.get("retries"));
        assertEquals("[input_artifacts, options, meta]", results.get("kwargs_keys"));
    }

    @Test
    void routeExceptionsBecomeFailedResults() {
        Exchange failed = call(request(Map.of("fail", "bad frame")), Map.of());
        TaskExecutionException e = assertInstanceOf(TaskExecutionException.class, failed.getException());
        assertEquals("IllegalStateException", e.errorType());
        assertEquals("bad frame", e.errorMessage());
        assertFalse(e.isRetryable());

        Exchange retry = call(request(Map.of("retry", true)), Map.of());
        TaskExecutionException r = assertInstanceOf(TaskExecutionException.class, retry.getException());
        assertEquals("StorageUnavailable", r.errorType());
        assertTrue(r.isRetryable());
    }

    @Test
    void plainBodiesAndProgress() {
        Exchange value = call(request(Map.of("value", "done")), Map.of());
        assertEquals(Map.of("value", "done"), value.getMessage().getBody(Map.class).get("results"));

        Exchange progress = call(request(Map.of("progress", true)), Map.of());
        assertNull(progress.getException());
        // Progress is published while the route runs; a fast route may finish before the waiter sees it.
        Object percent = progress.getMessage().getHeader(SandaiConstants.PROGRESS);
        assertTrue(percent == null || Integer.valueOf(40).equals(percent), String.valueOf(percent));
    }

    @Test
    void descAnswersFromTheConsumerOptions() {
        Map<?, ?> desc = template.requestBody(producer("operation=desc"), (Object) null, Map.class);
        assertEquals("echo-op", desc.get("name"));
        assertEquals("v1", desc.get("version"));
        assertEquals("Echoes its input", desc.get("description"));
        assertEquals(List.of("video"), desc.get("input_slots"));
        assertEquals(List.of("clip", "thumb"), desc.get("output_slots"));
        assertEquals(Map.of("type", "object"), desc.get("options_schema"));
        assertEquals("object", ((Map<?, ?>) desc.get("results_schema")).get("type"));
    }

    @Test
    void stockPythonCeleryClientGetsTheResult() {
        SendTaskResult result = PYTHON.sendTask(SendTask.to(REDIS, "normal.echo-op.v1")
                .kwargs(request(Map.of("from", "python"))).timeout(Duration.ofSeconds(20)));
        JsonNode line = result.line(0);
        assertEquals("SUCCESS", line.get("state").asText(), line.toString());
        assertEquals("success", line.get("result").get("status").asText());
        assertEquals("python", line.get("result").get("results").get("echo").get("from").asText());
    }

    @Test
    void healthChecksAndPendingExchanges() {
        SandaiConsumer consumer = (SandaiConsumer) context.getRoute("echo").getConsumer();
        HealthCheck check = ((HealthCheckAware) consumer).getHealthCheck();
        assertNotNull(check);
        assertEquals("consumer:sandai-echo", check.getId());
        await().atMost(Duration.ofSeconds(10)).until(() -> check.callLiveness().getState() == HealthCheck.State.UP);
        await().atMost(Duration.ofSeconds(10)).until(() -> check.callReadiness().getState() == HealthCheck.State.UP);
        assertEquals(0, consumer.getPendingExchangesSize());

        // Redis gone: not ready (the loop itself stays alive, backing off); Redis back: ready again, and serving
        assumeTrue(REDIS.supportsRestart(), "this Redis backend cannot be stopped and restarted");
        REDIS.stop();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> check.callReadiness().getState() == HealthCheck.State.DOWN);
            HealthCheck.Result down = check.callReadiness();
            assertEquals("Redis is not reachable", down.getMessage().orElse(null));
            assertEquals(HealthCheck.State.UP, check.callLiveness().getState(), "the taking loop survives");
        } finally {
            REDIS.start();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> check.callReadiness().getState() == HealthCheck.State.UP);
        assertEquals(HealthCheck.State.UP, check.callLiveness().getState());
        Exchange served = template.send(producer(""), ExchangePattern.InOut, e -> e.getMessage().setBody(request(Map.of())));
        assertNull(served.getException(), "the route serves again after Redis came back");
    }

    @Test
    void suspendAndResumeStopAndRestartTaking() throws Exception {
        context.getRouteController().suspendRoute("echo");
        Exchange queued = template.send(producer(""), ExchangePattern.InOnly, e -> e.getMessage().setBody(request(Map.of())));
        String taskId = queued.getMessage().getHeader(SandaiConstants.TASK_ID, String.class);
        try (io.camelsandai.client.OperatorClient client = io.camelsandai.client.OperatorClient.create("echo-op", "v1",
                io.camelsandai.client.OperatorSettings.builder().brokerUrl(REDIS.url()).build())) {
            // A suspended consumer takes nothing: the task stays PENDING for a while.
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                    .until(() -> "PENDING".equals(client.handle(taskId).state()));
            context.getRouteController().resumeRoute("echo");
            assertTrue(client.handle(taskId).get(Duration.ofSeconds(20)).isSuccess());
        }
    }
}
