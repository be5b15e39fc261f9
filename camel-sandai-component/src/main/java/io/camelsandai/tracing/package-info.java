/**
 * Trace propagation over the wire, the way opentelemetry-instrumentation-celery does it: the W3C context
 * ({@code traceparent}, {@code tracestate}, {@code baggage}) travels as top-level Celery protocol-v2 message headers;
 * a send is a PRODUCER span {@code apply_async/<task>}, a run a CONSUMER span {@code run/<task>} whose parent is the
 * sender's span.
 * <p>
 * Core code only sees {@link io.camelsandai.tracing.SandaiTracing}; {@code OpenTelemetrySandaiTracing} is the one class
 * that touches the OpenTelemetry API and is loaded only when {@code io.opentelemetry.api.GlobalOpenTelemetry} is on the
 * classpath. Without it nothing is written, nothing is read and no OpenTelemetry class is loaded.
 */
package io.camelsandai.tracing;
