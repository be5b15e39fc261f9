package io.camelsandai.operator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.model.TaskError;
import io.camelsandai.tracing.SandaiTracing;
import io.camelsandai.tracing.TraceHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run span ends with the handler's outcome whichever way the handler completes: a stage already done when the
 * handler returns (ended at once, without a dependent future), one completed later, a failed one, a throwing handler,
 * no stage at all. The end-to-end span contract (names, parents, attributes) is in {@code TracePropagationTest}.
 */
class RuntimeTracingTest {
    private static final AttributeKey<String> STATUS = AttributeKey.stringKey("sandai.task.status");
    private static final String SENDER_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String SENDER_SPAN = "b7ad6b7169203331";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private OpenTelemetrySdk sdk;
    private final OperatorRuntimeSettings settings = OperatorRuntimeSettings.builder("trace-op", "v2")
            .connection(OperatorSettings.builder().brokerUrl("redis://127.0.0.1:6379/0").environment(k -> null)
                    .build())
            .build();

    @BeforeEach
    void traceWithSdk() {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        SandaiTracing.setGlobal(SandaiTracing.openTelemetry(sdk));
    }

    @AfterEach
    void restoreTracing() {
        SandaiTracing.setGlobal(null);
        sdk.close();
    }

    @Test
    void aStageDoneAtOnceEndsTheSpanBeforeHandleReturns() {
        CompletableFuture<OperatorResult> done = CompletableFuture.completedFuture(
                OperatorResult.success(List.of(), Map.of("ok", true)));
        CompletionStage<OperatorResult> stage = RuntimeTracing.wrap(task -> done, settings).handle(new Task());

        assertSame(done, stage, "the handler's own stage is handed on");
        SpanData run = onlySpan();
        assertEquals("run/sandai.operator.process", run.getName());
        assertEquals(SpanKind.CONSUMER, run.getKind());
        assertEquals(SENDER_TRACE, run.getTraceId());
        assertEquals(SENDER_SPAN, run.getParentSpanId());
        assertEquals("success", run.getAttributes().get(STATUS));
        assertEquals(StatusCode.UNSET, run.getStatus().getStatusCode());
        assertEquals("trace-op", run.getAttributes().get(AttributeKey.stringKey("sandai.operator.name")));
        assertEquals("v2", run.getAttributes().get(AttributeKey.stringKey("sandai.operator.version")));
        assertEquals("high", run.getAttributes().get(AttributeKey.stringKey("sandai.priority")));
        assertEquals("high.trace-op.v2", run.getAttributes()
                .get(AttributeKey.stringKey("messaging.destination.name")));
        assertEquals("task-1", run.getAttributes().get(AttributeKey.stringKey("messaging.message.id")));
    }

    @Test
    void aFailedResultDoneAtOnceMarksTheSpanAsAnError() {
        RuntimeTracing.wrap(task -> CompletableFuture.completedFuture(
                OperatorResult.failed(new TaskError("Broken", "no", false))), settings).handle(new Task());

        SpanData run = onlySpan();
        assertEquals("failed", run.getAttributes().get(STATUS));
        assertEquals(StatusCode.ERROR, run.getStatus().getStatusCode());
        assertEquals("failed", run.getStatus().getDescription());
    }

    @Test
    void aStageCompletedLaterEndsTheSpanThen() {
        CompletableFuture<OperatorResult> later = new CompletableFuture<>();
        RuntimeTracing.wrap(task -> later, settings).handle(new Task());
        assertTrue(exporter.getFinishedSpanItems().isEmpty(), "the run is not over yet");

        later.complete(OperatorResult.cancelled("stop"));
        SpanData run = onlySpan();
        assertEquals("cancelled", run.getAttributes().get(STATUS));
        assertEquals(StatusCode.ERROR, run.getStatus().getStatusCode());
    }

    @Test
    void aStageThatFailedRecordsTheErrorAsStored() {
        RuntimeTracing.wrap(task -> CompletableFuture.failedFuture(new IllegalStateException("boom")), settings)
                .handle(new Task());

        SpanData run = onlySpan();
        assertNull(run.getAttributes().get(STATUS));
        assertEquals(StatusCode.ERROR, run.getStatus().getStatusCode());
        assertEquals("IllegalStateException", run.getStatus().getDescription());
        assertEquals(1, run.getEvents().size(), "the exception event");
        assertEquals("java.lang.IllegalStateException", run.getEvents().get(0).getAttributes()
                .get(AttributeKey.stringKey("exception.type")));
    }

    @Test
    void aThrowingHandlerEndsTheSpanAndThrows() {
        OperatorHandler traced = RuntimeTracing.wrap(task -> {
            throw new UnsupportedOperationException("nope");
        }, settings);
        assertThrows(UnsupportedOperationException.class, () -> traced.handle(new Task()));

        SpanData run = onlySpan();
        assertEquals(StatusCode.ERROR, run.getStatus().getStatusCode());
        assertEquals("UnsupportedOperationException", run.getStatus().getDescription());
    }

    @Test
    void noStageEndsTheSpanWithoutStatus() {
        assertNull(RuntimeTracing.wrap(task -> null, settings).handle(new Task()));

        SpanData run = onlySpan();
        assertNull(run.getAttributes().get(STATUS));
        assertEquals(StatusCode.UNSET, run.getStatus().getStatusCode());
    }

    @Test
    void theHandlerRunsInsideTheSpanAndSeesItsContextInTheHeaders() {
        Map<String, Object> seen = new LinkedHashMap<>();
        String[] current = new String[1];
        RuntimeTracing.wrap(task -> {
            current[0] = Span.current().getSpanContext().getSpanId();
            seen.putAll(task.headers());
            return CompletableFuture.completedFuture(OperatorResult.success(List.of(), Map.of()));
        }, settings).handle(new Task());

        SpanData run = onlySpan();
        assertEquals(run.getSpanId(), current[0], "the run span is current while the handler runs");
        assertEquals("00-" + SENDER_TRACE + "-" + run.getSpanId() + "-01", seen.get(TraceHeaders.TRACEPARENT),
                "the headers carry the run span, not the sender's");
        assertNotEquals(SENDER_SPAN, run.getSpanId());
        assertEquals("sandai.operator.process", seen.get("task"), "the other headers are kept");
    }

    private SpanData onlySpan() {
        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertEquals(1, spans.size(), () -> "one run span, not " + spans);
        return spans.get(0);
    }

    /** A task as the runtime hands it over, with the headers of a traced sender. */
    private static final class Task implements OperatorTask {
        @Override
        public String taskId() {
            return "task-1";
        }

        @Override
        public OperatorRequest request() {
            return OperatorRequest.of(List.of(), Map.of());
        }

        @Override
        public Map<String, Object> kwargs() {
            return Map.of();
        }

        @Override
        public Priority priority() {
            return Priority.HIGH;
        }

        @Override
        public String queue() {
            return "high.trace-op.v2";
        }

        @Override
        public int retries() {
            return 0;
        }

        @Override
        public void progress(int percent, String message) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public Map<String, Object> headers() {
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put("task", "sandai.operator.process");
            headers.put("id", "task-1");
            headers.put(TraceHeaders.TRACEPARENT, "00-" + SENDER_TRACE + "-" + SENDER_SPAN + "-01");
            return headers;
        }
    }
}
