package io.camelsandai.tracing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An OpenTelemetry SDK recording into memory, and the Python venv that has opentelemetry-api. */
final class OtelTestSupport {
    private OtelTestSupport() {
    }

    /** The SDK with the default W3C propagators (trace context + baggage), spans kept by {@code exporter}. */
    static OpenTelemetrySdk sdk(InMemorySpanExporter exporter) {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
    }

    /**
     * The venv python with opentelemetry-api over the system Celery: system property {@code sandai.test.otel.python},
     * else env {@code SANDAI_TEST_OTEL_PYTHON}, else {@code ~/.cache/camel-sandai/venv/bin/python} (what
     * {@code .ci/run} creates). Fails with the recipe when it is missing.
     */
    static String otelPython() {
        String configured = System.getProperty("sandai.test.otel.python", System.getenv("SANDAI_TEST_OTEL_PYTHON"));
        Path python = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "camel-sandai", "venv", "bin", "python");
        if (!Files.isExecutable(python)) {
            throw new AssertionError("no Python with opentelemetry-api at " + python + "; create it with: "
                    + "/usr/bin/python3 -m venv --system-site-packages ~/.cache/camel-sandai/venv && "
                    + "~/.cache/camel-sandai/venv/bin/pip install orjson opentelemetry-api (see .ci/run)");
        }
        return python.toString();
    }

    /** The one finished span with this name and kind. */
    static SpanData span(InMemorySpanExporter exporter, String name, SpanKind kind) {
        List<SpanData> found = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name) && s.getKind() == kind).toList();
        assertEquals(1, found.size(), () -> "spans named " + name + " (" + kind + ") among "
                + exporter.getFinishedSpanItems());
        return found.get(0);
    }
}
