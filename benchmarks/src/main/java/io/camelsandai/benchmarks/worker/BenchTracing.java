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
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * Tracing as a production application has it, minus the network: the OpenTelemetry SDK, every span sampled and
 * batched, then dropped by an exporter that does nothing.
 */
final class BenchTracing {
    private BenchTracing() {
    }

    /**
     * Installs the SDK as this JVM's tracing. {@code -Dbench.tracingSdk} picks a variant, for telling the SDK's
     * parts apart in a worker: {@code batched} (the default, as in production), {@code unprocessed} (spans recorded,
     * no span processor) or {@code unsampled} (every span dropped by the sampler: ids and context still propagate).
     */
    static OpenTelemetrySdk install() {
        String variant = System.getProperty("bench.tracingSdk", "batched");
        OpenTelemetrySdk sdk = switch (variant) {
            case "batched" -> sdk(true);
            case "unprocessed" -> sdk(false);
            case "unsampled" -> sdk(true, Sampler.alwaysOff());
            default -> throw new IllegalArgumentException("bench.tracingSdk: batched, unprocessed or unsampled, not "
                                                          + variant);
        };
        SandaiTracing.setGlobal(SandaiTracing.openTelemetry(sdk));
        return sdk;
    }

    /**
     * The SDK with the default propagators; {@code batched}: spans go through a {@link BatchSpanProcessor} to the
     * dropping exporter, else there is no span processor (spans are recorded, then forgotten).
     */
    static OpenTelemetrySdk sdk(boolean batched) {
        return sdk(batched, Sampler.parentBased(Sampler.alwaysOn())); // the SDK's default sampler
    }

    private static OpenTelemetrySdk sdk(boolean batched, Sampler sampler) {
        SdkTracerProviderBuilder tracerProvider = SdkTracerProvider.builder().setSampler(sampler);
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
