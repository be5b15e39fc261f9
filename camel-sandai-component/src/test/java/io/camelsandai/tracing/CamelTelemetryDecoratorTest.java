package io.camelsandai.tracing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.component.SandaiConstants;
import io.camelsandai.testsupport.RedisServerExtension;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * camel-opentelemetry2 picks up the {@code sandai} span decorator with no code: a route calling {@code sandai:} and
 * a route served by {@code from("sandai:...")} yield decorated spans, all in one trace with the library's own
 * {@code apply_async}/{@code run} spans between them.
 */
class CamelTelemetryDecoratorTest extends CamelTestSupport {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    private static final String OPERATOR = "sandai:deco-op:v1";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OtelTestSupport.sdk(exporter);

    @Override
    protected CamelContext createCamelContext() throws Exception {
        SandaiTracing.setGlobal(SandaiTracing.openTelemetry(sdk));
        CamelContext context = super.createCamelContext();
        // camel-opentelemetry2 takes the tracer and propagators from the registry before GlobalOpenTelemetry.
        context.getRegistry().bind("otelTracer", sdk.getTracer("camel"));
        context.getRegistry().bind("otelPropagators", sdk.getPropagators());
        new OpenTelemetryTracer().init(context);
        return context;
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
                from("direct:call").routeId("caller")
                        .to(OPERATOR + "?brokerUrl=" + REDIS.url() + "&timeout=20s");
                from(OPERATOR + "?brokerUrl=" + REDIS.url() + "&concurrency=1&shutdownTimeout=5s").routeId("operator")
                        .setBody(constant(Map.of("artifacts", List.of(), "results", Map.of("ok", true))));
            }
        };
    }

    @Test
    void sandaiEndpointsGetDecoratedSpansInOneTrace() {
        Map<?, ?> body = template.requestBodyAndHeader("direct:call",
                Map.of("input_artifacts", List.of(), "options", Map.of()), SandaiConstants.PRIORITY, "high", Map.class);
        assertEquals(Map.of("ok", true), body.get("results"));

        await().atMost(Duration.ofSeconds(10)).until(() -> exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("high.deco-op.v1")).count() == 2);
        List<SpanData> decorated = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("high.deco-op.v1")).toList();
        SpanData camelSend = decorated.stream().filter(s -> "EVENT_SENT".equals(op(s))).findFirst().orElseThrow(
                () -> new AssertionError("no EVENT_SENT span among " + decorated));
        SpanData camelReceive = decorated.stream().filter(s -> "EVENT_RECEIVED".equals(op(s))).findFirst().orElseThrow(
                () -> new AssertionError("no EVENT_RECEIVED span among " + decorated));
        SpanData send = OtelTestSupport.span(exporter, "apply_async/sandai.operator.process", SpanKind.PRODUCER);
        SpanData run = OtelTestSupport.span(exporter, "run/sandai.operator.process", SpanKind.CONSUMER);

        assertEquals(camelSend.getSpanId(), send.getParentSpanId(), "apply_async inside Camel's sandai: producer span");
        assertEquals(send.getSpanId(), run.getParentSpanId());
        assertEquals(run.getSpanId(), camelReceive.getParentSpanId(), "the route's span continues the run span");
        assertEquals(1, exporter.getFinishedSpanItems().stream().map(SpanData::getTraceId).distinct().count(),
                () -> "one trace: " + exporter.getFinishedSpanItems());

        String taskId = run.getAttributes().get(AttributeKey.stringKey("messaging.message.id"));
        for (SpanData camel : List.of(camelSend, camelReceive)) {
            assertEquals("celery", camel.getAttributes().get(AttributeKey.stringKey("messaging.system")));
            assertEquals("high.deco-op.v1", camel.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")));
            assertEquals("deco-op", camel.getAttributes().get(AttributeKey.stringKey("sandai.operator.name")));
            assertEquals("v1", camel.getAttributes().get(AttributeKey.stringKey("sandai.operator.version")));
            assertEquals("high", camel.getAttributes().get(AttributeKey.stringKey("sandai.priority")));
            assertEquals(taskId, camel.getAttributes().get(AttributeKey.stringKey("messaging.message.id")), camel::toString);
        }
        assertEquals("success", camelSend.getAttributes().get(AttributeKey.stringKey("sandai.task.status")));
    }

    private static String op(SpanData span) {
        return span.getAttributes().get(AttributeKey.stringKey("op"));
    }
}
