package io.camelsandai.client;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.camelsandai.codec.TaskMessage;
import io.camelsandai.tracing.SandaiTracing;
import io.camelsandai.tracing.SendSpan;
import io.camelsandai.tracing.SpanInfo;

/** The client's tracing hook, kept out of {@link OperatorClient}: one PRODUCER span per message pushed. */
final class ClientTracing {
    private ClientTracing() {
    }

    /**
     * Starts the send span, lets {@code push} write its context into the message headers, and ends it when the push
     * completes (as the Python instrumentation ends {@code apply_async} once the message is published).
     */
    static CompletableFuture<Void> send(TaskMessage message, String operatorName, String operatorVersion,
                                        Function<Map<String, String>, CompletableFuture<Void>> push) {
        SandaiTracing tracing = SandaiTracing.global();
        if (!tracing.enabled()) {
            return push.apply(Map.of());
        }
        SendSpan span = tracing.send(new SpanInfo(message.taskName(), message.id(), message.queue(),
                operatorName, operatorVersion, priority(message)));
        CompletableFuture<Void> pushed;
        try {
            pushed = push.apply(span.headers());
        } catch (RuntimeException | Error e) {
            span.end(e);
            throw e;
        }
        if (span != SendSpan.NONE) {
            pushed.whenComplete((v, e) -> span.end(e));
        }
        return pushed;
    }

    private static String priority(TaskMessage message) {
        return message.kwargs().get("meta") instanceof Map<?, ?> meta && meta.get("priority") instanceof String p
                ? p : null;
    }
}
