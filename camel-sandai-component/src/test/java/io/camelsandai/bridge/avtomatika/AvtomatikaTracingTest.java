package io.camelsandai.bridge.avtomatika;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.bridge.FakeAvtomatika;
import io.camelsandai.bridge.FakeOperator;
import io.camelsandai.bridge.OperatorTarget;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.Priority;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.tracing.SandaiTracing;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Avtomatika's {@code tracing_context}: in, the operator call continues it; out, the result names it. */
class AvtomatikaTracingTest {
    private static final String GLOBAL = "global-secret-token";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private OpenTelemetrySdk sdk;
    private FakeAvtomatika orchestrator;
    private FakeOperator operator;
    private AvtomatikaWorker worker;

    @BeforeEach
    void start() throws Exception {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
        SandaiTracing.setGlobal(SandaiTracing.openTelemetry(sdk));
        orchestrator = new FakeAvtomatika(GLOBAL);
        orchestrator.pollHoldMillis(200);
        operator = new FakeOperator(REDIS.host(), REDIS.port(), "echo", "v1", 2);
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.stop();
        }
        operator.close();
        orchestrator.close();
        SandaiTracing.setGlobal(null);
        sdk.close();
    }

    @Test
    void theOperatorCallContinuesTheOrchestratorsTraceAndTheResultNamesIt() {
        String traceparent = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";
        String taskId = orchestrator.addTask("echo", Map.of("lang", "en"), null, null,
                Map.of("traceparent", traceparent, "baggage", "tenant=acme"));
        worker = new AvtomatikaWorker(AvtomatikaConfig.builder()
                .fromEnvironment(Map.of("ORCHESTRATOR_URL", orchestrator.url(), "WORKER_ID", "w-trace",
                        "WORKER_TOKEN", GLOBAL)::get)
                .pollTimeout(Duration.ofSeconds(1))
                .shutdownTimeout(Duration.ofSeconds(10))
                .skill(AvtomatikaSkill.of("echo", new OperatorTarget("echo", "v1", Priority.NORMAL, Duration.ofSeconds(20))))
                .build(), OperatorSettings.builder().environment(k -> null).brokerUrl(REDIS.url()).build());
        worker.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> orchestrator.resultOf(taskId) != null);
        JsonNode result = orchestrator.resultOf(taskId);
        assertEquals("success", result.path("status").asText(), result::toString);
        assertEquals(traceparent, result.path("tracing_context").path("traceparent").asText(), result::toString);
        assertEquals("tenant=acme", result.path("tracing_context").path("baggage").asText());

        List<SpanData> sends = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.PRODUCER).toList();
        assertEquals(1, sends.size(), sends::toString);
        assertEquals(TRACE_ID, sends.get(0).getTraceId(), "the operator call is in the orchestrator's trace");
        assertEquals(SPAN_ID, sends.get(0).getParentSpanId());
    }
}
