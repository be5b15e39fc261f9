package io.camelsandai.benchmarks.worker;

import java.util.Collection;

import io.camelsandai.tracing.SandaiTracing;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Tracing as a production application has it, minus the network: the OpenTelemetry SDK, every span sampled and
 * batched, then dropped by an exporter that does nothing.
 */
final class BenchTracing {
    private BenchTracing() {
    }

    static OpenTelemetrySdk install() {
        OpenTelemetrySdk sdk = sdk(true);
        SandaiTracing.setGlobal(SandaiTracing.openTelemetry(sdk));
        return sdk;
    }

    /**
     * The SDK with the default propagators; {@code batched}: spans go through a {@link BatchSpanProcessor} to the
     * dropping exporter, else there is no span processor (spans are recorded, then forgotten).
     */
    static OpenTelemetrySdk sdk(boolean batched) {
        SdkTracerProviderBuilder tracerProvider = SdkTracerProvider.builder();
        if (batched) {
            tracerProvider.addSpanProcessor(BatchSpanProcessor.builder(new Dropping()).build());
        }
        return OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider.build())
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
    }

    private static final class Dropping implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
