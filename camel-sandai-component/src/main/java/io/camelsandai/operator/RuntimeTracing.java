package io.camelsandai.operator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.camelsandai.model.OperatorResult;
import io.camelsandai.tracing.RunSpan;
import io.camelsandai.tracing.SandaiTracing;
import io.camelsandai.tracing.SpanInfo;
import io.camelsandai.tracing.TraceHeaders;
import io.camelsandai.tracing.TracingScope;

/**
 * The runtime's tracing hook, kept out of {@link TaskProcessor}: each task runs inside a CONSUMER span
 * {@code run/<task>}, child of the sender's span found in the message headers. The handler is called with that span
 * current and sees its context in {@link OperatorTask#headers()}, so work it hands to other threads (a Camel route)
 * can continue it.
 */
final class RuntimeTracing implements OperatorHandler {
    private final OperatorHandler delegate;
    private final OperatorRuntimeSettings settings;
    private final SandaiTracing tracing = SandaiTracing.global();

    private RuntimeTracing(OperatorHandler delegate, OperatorRuntimeSettings settings) {
        this.delegate = delegate;
        this.settings = settings;
    }

    static OperatorHandler wrap(OperatorHandler handler, OperatorRuntimeSettings settings) {
        return new RuntimeTracing(handler, settings);
    }

    @Override
    public CompletionStage<OperatorResult> handle(OperatorTask task) {
        if (!tracing.enabled()) {
            return delegate.handle(task);
        }
        Map<String, Object> headers = task.headers();
        String taskName = headers.get("task") instanceof String s ? s : "unknown";
        RunSpan span = tracing.run(new SpanInfo(taskName, task.taskId(), task.queue(), settings.operatorName(),
                settings.operatorVersion(), task.priority() == null ? null : task.priority().wireName()), headers);
        if (span == RunSpan.NONE) {
            return delegate.handle(task);
        }
        CompletionStage<OperatorResult> stage;
        try (TracingScope scope = span.enter()) {
            stage = delegate.handle(new Traced(task, headers, span));
        } catch (RuntimeException | Error e) {
            span.end(null, e);
            throw e;
        }
        if (stage == null) {
            span.end(null, null);
            return null;
        }
        if (stage instanceof CompletableFuture<OperatorResult> f && f.isDone() && !f.isCompletedExceptionally()) {
            // A handler that answered at once (any synchronous one): the span ends here, without the dependent
            // future and callback of whenComplete. A failed stage takes whenComplete below, which hands the error
            // over exactly as stored.
            span.end(status(f.join()), null);
        } else {
            stage.whenComplete((result, error) -> span.end(status(result), error));
        }
        return stage;
    }

    private static String status(OperatorResult result) {
        return result == null || result.status() == null ? null : result.status().wireName();
    }

    private static Map<String, Object> withContext(Map<String, Object> headers, Map<String, String> context) {
        if (context.isEmpty()) {
            return headers;
        }
        Map<String, Object> copy = new LinkedHashMap<>(headers);
        TraceHeaders.NAMES.forEach(copy::remove); // the sender's, replaced by this run span's
        copy.putAll(context);
        return copy;
    }

    /**
     * The task with the run span's context in its headers, built on first use only: a plain handler never asks,
     * and then tracing copies no header map.
     */
    private static final class Traced extends ForwardingOperatorTask {
        private final Map<String, Object> sent;
        private final RunSpan span;
        private volatile Map<String, Object> built;

        Traced(OperatorTask task, Map<String, Object> sent, RunSpan span) {
            super(task);
            this.sent = sent;
            this.span = span;
        }

        @Override
        public Map<String, Object> headers() {
            Map<String, Object> b = built;
            if (b == null) {
                b = withContext(sent, span.headers());
                built = b;
            }
            return b;
        }
    }
}
