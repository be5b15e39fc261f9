package io.camelsandai.tracing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * {@link SandaiTracing} on the OpenTelemetry API. The only class of this library that touches OpenTelemetry: it is
 * loaded only once {@link GlobalSandaiTracing} has seen the API on the classpath.
 * <p>
 * Span names and attributes follow opentelemetry-instrumentation-celery ({@code apply_async/<task>} PRODUCER,
 * {@code run/<task>} CONSUMER, {@code celery.action}, {@code celery.task_name}) and the messaging semantic
 * conventions; the context is injected and extracted with the instance's own propagators (W3C trace context and
 * baggage by default), so the headers are the ones the Python instrumentation writes and reads.
 */
final class OpenTelemetrySandaiTracing implements SandaiTracing {
    static final String INSTRUMENTATION = "io.camelsandai";

    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> MESSAGING_OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> MESSAGING_OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> MESSAGING_DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> MESSAGING_MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<String> CELERY_ACTION = AttributeKey.stringKey("celery.action");
    static final AttributeKey<String> CELERY_TASK_NAME = AttributeKey.stringKey("celery.task_name");
    static final AttributeKey<String> OPERATOR_NAME = AttributeKey.stringKey("sandai.operator.name");
    static final AttributeKey<String> OPERATOR_VERSION = AttributeKey.stringKey("sandai.operator.version");
    static final AttributeKey<String> PRIORITY = AttributeKey.stringKey("sandai.priority");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("sandai.task.status");

    /** Celery is not one of the semantic conventions' well-known systems; the protocol's name is the honest value. */
    static final String SYSTEM = "celery";

    private static final TextMapGetter<Map<String, ?>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, ?> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, ?> carrier, String key) {
            return carrier != null && carrier.get(key) instanceof String s ? s : null;
        }
    };

    private final Supplier<OpenTelemetry> openTelemetry;

    private OpenTelemetrySandaiTracing(Supplier<OpenTelemetry> openTelemetry) {
        this.openTelemetry = openTelemetry;
    }

    /** Follows {@link GlobalOpenTelemetry}, read on each span so that an SDK registered later is used. */
    static SandaiTracing global() {
        return new OpenTelemetrySandaiTracing(GlobalOpenTelemetry::get);
    }

    static SandaiTracing of(Object openTelemetry) {
        if (!(openTelemetry instanceof OpenTelemetry otel)) {
            throw new IllegalArgumentException("not an io.opentelemetry.api.OpenTelemetry: "
                                               + (openTelemetry == null ? "null" : openTelemetry.getClass().getName()));
        }
        return new OpenTelemetrySandaiTracing(() -> otel);
    }

    /** The tracer of the last instance seen: looked up again only when the instance changes (an SDK set later). */
    private volatile CachedTracer cached;

    private record CachedTracer(OpenTelemetry otel, Tracer tracer) {
    }

    /**
     * The span names of the last task name seen, so that the usual case (a runtime or client serving one task name)
     * builds no new name string per span.
     */
    private volatile SpanNames names = new SpanNames(null);

    private record SpanNames(String taskName, String send, String run) {
        SpanNames(String taskName) {
            this(taskName, "apply_async/" + taskName, "run/" + taskName);
        }
    }

    private SpanNames names(String taskName) {
        SpanNames n = names;
        if (!Objects.equals(n.taskName(), taskName)) {
            n = new SpanNames(taskName);
            names = n;
        }
        return n;
    }

    private Tracer tracer(OpenTelemetry otel) {
        CachedTracer c = cached;
        if (c == null || c.otel() != otel) {
            c = new CachedTracer(otel, otel.getTracer(INSTRUMENTATION));
            cached = c;
        }
        return c.tracer();
    }

    @Override
    public SendSpan send(SpanInfo info) {
        try {
            OpenTelemetry otel = openTelemetry.get();
            Span span = common(tracer(otel).spanBuilder(names(info.taskName()).send()), info, "apply_async")
                    .setSpanKind(SpanKind.PRODUCER)
                    .setAttribute(MESSAGING_OPERATION_TYPE, "send")
                    .startSpan();
            Map<String, String> headers = inject(otel, Context.current().with(span));
            return new SendSpan() {
                @Override
                public Map<String, String> headers() {
                    return headers;
                }

                @Override
                public void end(Throwable error) {
                    try {
                        if (error != null) {
                            span.recordException(error);
                            span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
                        }
                        span.end();
                    } catch (RuntimeException e) {
                        // tracing must never fail a send
                    }
                }
            };
        } catch (RuntimeException | LinkageError e) {
            return SendSpan.NONE;
        }
    }

    @Override
    public RunSpan run(SpanInfo info, Map<String, ?> headers) {
        try {
            OpenTelemetry otel = openTelemetry.get();
            Context parent = extract(otel, headers);
            Span span = common(tracer(otel).spanBuilder(names(info.taskName()).run()), info, "run")
                    .setSpanKind(SpanKind.CONSUMER)
                    .setParent(parent)
                    .setAttribute(MESSAGING_OPERATION_TYPE, "process")
                    .startSpan();
            Context context = parent.with(span);
            return new RunSpan() {
                @Override
                public TracingScope enter() {
                    Scope scope = context.makeCurrent();
                    return scope::close;
                }

                @Override
                public Map<String, String> headers() {
                    return inject(otel, context);
                }

                @Override
                public void end(String status, Throwable error) {
                    try {
                        if (status != null) {
                            span.setAttribute(STATUS, status);
                        }
                        if (error != null) {
                            span.recordException(error);
                            span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
                        } else if (status != null && !"success".equals(status)) {
                            span.setStatus(StatusCode.ERROR, status);
                        }
                        span.end();
                    } catch (RuntimeException e) {
                        // tracing must never stop a result from being written
                    }
                }
            };
        } catch (RuntimeException | LinkageError e) {
            return RunSpan.NONE;
        }
    }

    @Override
    public TracingScope enter(Map<String, ?> headers) {
        try {
            if (headers == null || headers.isEmpty()) {
                return TracingScope.NONE;
            }
            Scope scope = extract(openTelemetry.get(), headers).makeCurrent();
            return scope::close;
        } catch (RuntimeException | LinkageError e) {
            return TracingScope.NONE;
        }
    }

    @Override
    public Map<String, String> currentHeaders() {
        try {
            return inject(openTelemetry.get(), Context.current());
        } catch (RuntimeException | LinkageError e) {
            return Map.of();
        }
    }

    private static SpanBuilder common(SpanBuilder builder, SpanInfo info, String action) {
        builder.setAttribute(MESSAGING_SYSTEM, SYSTEM)
                .setAttribute(MESSAGING_OPERATION_NAME, action)
                .setAttribute(CELERY_ACTION, action);
        set(builder, CELERY_TASK_NAME, info.taskName());
        set(builder, MESSAGING_MESSAGE_ID, info.taskId());
        set(builder, MESSAGING_DESTINATION, info.queue());
        set(builder, OPERATOR_NAME, info.operatorName());
        set(builder, OPERATOR_VERSION, info.operatorVersion());
        set(builder, PRIORITY, info.priority());
        return builder;
    }

    private static void set(SpanBuilder builder, AttributeKey<String> key, String value) {
        if (value != null) {
            builder.setAttribute(key, value);
        }
    }

    private static Map<String, String> inject(OpenTelemetry otel, Context context) {
        Map<String, String> headers = new LinkedHashMap<>(4);
        otel.getPropagators().getTextMapPropagator().inject(context, headers, (carrier, key, value) -> {
            if (carrier != null) {
                carrier.put(key, value);
            }
        });
        return headers;
    }

    private static Context extract(OpenTelemetry otel, Map<String, ?> headers) {
        if (headers == null || headers.isEmpty()) {
            return Context.current();
        }
        return otel.getPropagators().getTextMapPropagator().extract(Context.current(), headers, HEADERS);
    }
}
