package io.camelsandai.tracing;

import java.util.Map;

/**
 * Where the client and the operator runtime open their spans. Every method has a no-op default, so core code never
 * needs OpenTelemetry; {@link #global()} traces with OpenTelemetry's global instance when its API is on the classpath.
 * <p>
 * Implementations must be cheap and must never throw: they sit on the send and run paths.
 */
public interface SandaiTracing {

    /** Traces nothing, propagates nothing. */
    SandaiTracing NOOP = new SandaiTracing() {
        @Override
        public boolean enabled() {
            return false;
        }
    };

    /**
     * False when every method is a no-op, so that the send and run paths skip describing their spans (one allocation
     * per task less when tracing is off).
     */
    default boolean enabled() {
        return true;
    }

    /** Starts the PRODUCER span {@code apply_async/<task>} of one send, child of the current context. */
    default SendSpan send(SpanInfo info) {
        return SendSpan.NONE;
    }

    /**
     * Starts the CONSUMER span {@code run/<task>}, child of the context found in the message {@code headers}
     * (the top-level Celery headers), or of the current context when they carry none.
     */
    default RunSpan run(SpanInfo info, Map<String, ?> headers) {
        return RunSpan.NONE;
    }

    /** Makes the context carried by {@code headers} current (e.g. an orchestrator's {@code tracing_context}). */
    default TracingScope enter(Map<String, ?> headers) {
        return TracingScope.NONE;
    }

    /** The current context as propagation headers; empty when there is none or tracing is off. */
    default Map<String, String> currentHeaders() {
        return Map.of();
    }

    /** The tracing of this JVM: OpenTelemetry's global instance when its API is present, else {@link #NOOP}. */
    static SandaiTracing global() {
        return GlobalSandaiTracing.current();
    }

    /** Replaces the tracing of this JVM (e.g. with {@link #openTelemetry(Object)}); null restores the default. */
    static void setGlobal(SandaiTracing tracing) {
        GlobalSandaiTracing.set(tracing);
    }

    /**
     * Tracing with a given {@code io.opentelemetry.api.OpenTelemetry} (typed Object so that this interface loads
     * without OpenTelemetry).
     *
     * @throws IllegalArgumentException when it is not an OpenTelemetry instance
     */
    static SandaiTracing openTelemetry(Object openTelemetry) {
        return OpenTelemetrySandaiTracing.of(openTelemetry);
    }
}
