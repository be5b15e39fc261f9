package io.camelsandai.tracing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.component.SandaiConstants;
import io.camelsandai.testsupport.CeleryWorkerOptions;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.testsupport.ScriptResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One trace across the wire, both directions, with a real Python Celery worker and client that read and write the
 * context where opentelemetry-instrumentation-celery does ({@code task.request} attributes, message headers).
 */
class TracePropagationTest extends CamelTestSupport {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create(OtelTestSupport.otelPython());

    private static final String TASK = "sandai.operator.process";
    private static final String JAVA_OPERATOR = "sandai:java-op:v1";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private OpenTelemetrySdk sdk;
    /** What the Java route saw as current span and as exchange header, per task id. */
    private final AtomicReference<SpanContext> routeSpan = new AtomicReference<>();
    private final AtomicReference<String> routeTraceparent = new AtomicReference<>();

    @BeforeAll
    static void startPythonOperator() {
        PYTHON.startWorker(CeleryWorkerOptions.builder().redis(REDIS).operator("py-op", "v1")
                .pool(CeleryWorkerOptions.Pool.THREADS).concurrency(2).build());
    }

    @BeforeEach
    void traceWithSdk() {
        sdk = OtelTestSupport.sdk(exporter);
        SandaiTracing.setGlobal(SandaiTracing.openTelemetry(sdk));
    }

    @AfterEach
    void restoreTracing() {
        SandaiTracing.setGlobal(null);
        sdk.close();
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(JAVA_OPERATOR + "?brokerUrl=" + REDIS.url() + "&concurrency=2&shutdownTimeout=5s")
                        .routeId("java-op")
                        .process(e -> {
                            routeSpan.set(Span.current().getSpanContext());
                            routeTraceparent.set(e.getMessage().getHeader(TraceHeaders.TRACEPARENT, String.class));
                            e.getMessage().setBody(Map.of("artifacts", List.of(), "results", Map.of("ok", true)));
                        });
            }
        };
    }

    private static Map<String, Object> request(Map<String, Object> options) {
        return Map.of("input_artifacts", List.of(Map.of("uri", "s3://in/v.mp4", "slot", "video")), "options", options);
    }

    @Test
    void javaProducerTraceArrivesInThePythonWorker() {
        Span parent = sdk.getTracer("test").spanBuilder("caller").startSpan();
        Map<?, ?> body;
        try (Scope ignored = parent.makeCurrent()) {
            body = template.requestBody("sandai:py-op:v1?brokerUrl=" + REDIS.url() + "&timeout=20s",
                    request(Map.of("trace_probe", true)), Map.class);
        } finally {
            parent.end();
        }
        Map<?, ?> results = (Map<?, ?>) body.get("results");
        Map<?, ?> seen = (Map<?, ?>) results.get("trace");
        String taskId = (String) results.get("task_id");

        SpanData send = OtelTestSupport.span(exporter, "apply_async/" + TASK, SpanKind.PRODUCER);
        assertEquals(parent.getSpanContext().getSpanId(), send.getParentSpanId(), "the send span is the caller's child");
        assertEquals(parent.getSpanContext().getTraceId(), send.getTraceId());
        assertEquals(Boolean.TRUE, seen.get("valid"), () -> "the worker found no context: " + seen);
        assertEquals(send.getTraceId(), seen.get("trace_id"), "the Java trace id arrives in the Python worker");
        assertEquals(send.getSpanId(), seen.get("parent_span_id"), "its run span would be the send span's child");
        assertEquals("00-" + send.getTraceId() + "-" + send.getSpanId() + "-01", seen.get("traceparent"),
                "a top-level message header, read from task.request as the instrumentation reads it");

        Map<AttributeKey<?>, Object> attributes = send.getAttributes().asMap();
        assertEquals("celery", attributes.get(AttributeKey.stringKey("messaging.system")));
        assertEquals("send", attributes.get(AttributeKey.stringKey("messaging.operation.type")));
        assertEquals("normal.py-op.v1", attributes.get(AttributeKey.stringKey("messaging.destination.name")));
        assertEquals(taskId, attributes.get(AttributeKey.stringKey("messaging.message.id")));
        assertEquals("apply_async", attributes.get(AttributeKey.stringKey("celery.action")));
        assertEquals(TASK, attributes.get(AttributeKey.stringKey("celery.task_name")));
        assertEquals("py-op", attributes.get(AttributeKey.stringKey("sandai.operator.name")));
        assertEquals("v1", attributes.get(AttributeKey.stringKey("sandai.operator.version")));
        assertEquals("normal", attributes.get(AttributeKey.stringKey("sandai.priority")));
    }

    @Test
    void pythonClientTraceArrivesInTheJavaRoute() {
        ScriptResult sent = PYTHON.runScript("traced_send_task.py", List.of("--broker", REDIS.url(),
                "--queue", "normal.java-op.v1", "--kwargs", "{\"options\": {}}", "--timeout", "20"),
                Map.of(), Duration.ofSeconds(60)).assertSuccess();
        List<JsonNode> lines = sent.jsonLines();
        assertEquals(2, lines.size(), sent::toString);
        String pythonTraceId = lines.get(0).get("trace_id").asText();
        String pythonSpanId = lines.get(0).get("span_id").asText();
        assertEquals("SUCCESS", lines.get(1).get("state").asText(), sent::toString);
        String taskId = lines.get(1).get("id").asText();

        await().atMost(Duration.ofSeconds(10)).until(() -> exporter.getFinishedSpanItems().stream()
                .anyMatch(s -> s.getKind() == SpanKind.CONSUMER));
        SpanData run = OtelTestSupport.span(exporter, "run/" + TASK, SpanKind.CONSUMER);
        assertEquals(pythonTraceId, run.getTraceId(), "the Python trace id arrives in the Java operator");
        assertEquals(pythonSpanId, run.getParentSpanId(), "the run span is the Python client span's child");
        assertTrue(run.getParentSpanContext().isRemote());
        assertEquals(run.getSpanContext(), routeSpan.get(), "the route ran inside the run span");
        assertEquals("00-" + run.getTraceId() + "-" + run.getSpanId() + "-01", routeTraceparent.get(),
                "the exchange carries the run span's context for Camel's own tracing");

        Map<AttributeKey<?>, Object> attributes = run.getAttributes().asMap();
        assertEquals("celery", attributes.get(AttributeKey.stringKey("messaging.system")));
        assertEquals("process", attributes.get(AttributeKey.stringKey("messaging.operation.type")));
        assertEquals("normal.java-op.v1", attributes.get(AttributeKey.stringKey("messaging.destination.name")));
        assertEquals(taskId, attributes.get(AttributeKey.stringKey("messaging.message.id")));
        assertEquals("run", attributes.get(AttributeKey.stringKey("celery.action")));
        assertEquals("java-op", attributes.get(AttributeKey.stringKey("sandai.operator.name")));
        assertEquals("normal", attributes.get(AttributeKey.stringKey("sandai.priority")));
        assertEquals("success", attributes.get(AttributeKey.stringKey("sandai.task.status")));
        assertEquals(StatusCode.UNSET, run.getStatus().getStatusCode());
    }

    @Test
    void javaToJavaTheRunSpanIsTheSendSpansChild() {
        Map<?, ?> body = template.requestBodyAndHeader(JAVA_OPERATOR + "?brokerUrl=" + REDIS.url() + "&timeout=20s",
                request(Map.of()), SandaiConstants.PRIORITY, "high", Map.class);
        assertEquals(Map.of("ok", true), body.get("results"));
        await().atMost(Duration.ofSeconds(10)).until(() -> exporter.getFinishedSpanItems().size() >= 2);
        SpanData send = OtelTestSupport.span(exporter, "apply_async/" + TASK, SpanKind.PRODUCER);
        SpanData run = OtelTestSupport.span(exporter, "run/" + TASK, SpanKind.CONSUMER);
        assertEquals(send.getTraceId(), run.getTraceId());
        assertEquals(send.getSpanId(), run.getParentSpanId());
        assertEquals("high.java-op.v1", run.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")));
        assertEquals("high", send.getAttributes().get(AttributeKey.stringKey("sandai.priority")));
    }
}
