package io.camelsandai.bridge;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.InvalidResultFormatException;
import io.camelsandai.model.InvalidTaskStatusException;
import io.camelsandai.model.TaskCancelledException;
import io.camelsandai.model.TaskDeadlineExceededException;
import io.camelsandai.model.TaskExecutionException;
import io.camelsandai.model.TaskTimeoutException;

/**
 * The default {@link OperatorInvoker}: one {@link OperatorClient} per target operator (name and version), created on
 * first use and closed with this invoker. Typed client exceptions become {@link CallOutcome}s.
 */
public final class ClientOperatorInvoker implements OperatorInvoker {
    private final Function<OperatorTarget, OperatorClient> clientFactory;
    private final InvalidInputRule invalidInputRule;
    private final Map<String, OperatorClient> clients = new ConcurrentHashMap<>();

    /** Decides whether an operator's {@code failed} error means the input was bad (not worth retrying anywhere). */
    @FunctionalInterface
    public interface InvalidInputRule {
        boolean isInvalidInput(String errorType);

        /** Error types an operator uses for bad input, by the usual names. */
        InvalidInputRule CONVENTIONAL = type -> type != null && switch (type) {
            case "InvalidInput", "InvalidInputError", "InvalidOptions", "InvalidOptionsError", "ValidationError",
                    "InvalidArtifact", "MissingInput", "InvalidParams" -> true;
            default -> false;
        };
    }

    public ClientOperatorInvoker(OperatorSettings settings) {
        this(target -> OperatorClient.create(target.name(), target.version(), settings), InvalidInputRule.CONVENTIONAL);
    }

    public ClientOperatorInvoker(Function<OperatorTarget, OperatorClient> clientFactory, InvalidInputRule rule) {
        this.clientFactory = clientFactory;
        this.invalidInputRule = rule == null ? InvalidInputRule.CONVENTIONAL : rule;
    }

    private OperatorClient client(OperatorTarget target) {
        return clients.computeIfAbsent(target.operatorKey(), k -> clientFactory.apply(target));
    }

    @Override
    public CompletableFuture<CallOutcome> invoke(OperatorCall call, Consumer<ProgressUpdate> progress) {
        CallOptions options = CallOptions.DEFAULTS.withPriority(call.target().priority())
                .withTimeout(call.effectiveTimeout()).withCancelKey(call.cancelKey());
        CompletableFuture<io.camelsandai.model.OperatorResult> started;
        try {
            started = client(call.target()).callAsync(call.request(), options, progressAdapter(progress));
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        return started.handle((result, error) -> error == null ? CallOutcome.success(result) : toOutcome(error));
    }

    /** Turns the bridge's progress listener into one of PROGRESS metas; null stays null. */
    public static Consumer<ResultMeta> progressAdapter(Consumer<ProgressUpdate> progress) {
        if (progress == null) {
            return null;
        }
        return meta -> {
            if (!CeleryState.PROGRESS.equals(meta.status()) || !(meta.result() instanceof Map<?, ?> body)) {
                return;
            }
            Object percent = body.get("progress");
            Object message = body.get("message");
            try {
                progress.accept(new ProgressUpdate(percent instanceof Number n ? n.doubleValue() : 0,
                        message == null ? null : String.valueOf(message)));
            } catch (RuntimeException ignored) {
                // a listener's failure must not break the result waiter
            }
        };
    }

    /**
     * Maps how a call failed (a typed client exception, possibly wrapped in a CompletionException) to an outcome.
     * Public so that other invokers (e.g. one that calls through a Camel {@code sandai:} producer) map alike.
     */
    public CallOutcome toOutcome(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof TaskExecutionException ex) {
            CallOutcome.Kind kind = invalidInputRule.isInvalidInput(ex.errorType())
                    ? CallOutcome.Kind.INVALID_INPUT : CallOutcome.Kind.FAILED;
            return CallOutcome.failure(kind, ex.errorType(), ex.errorMessage(), ex.isRetryable());
        }
        if (e instanceof TaskDeadlineExceededException) {
            return CallOutcome.failure(CallOutcome.Kind.DEADLINE_EXCEEDED, "DeadlineExceeded", e.getMessage(), false);
        }
        if (e instanceof TaskCancelledException) {
            return CallOutcome.failure(CallOutcome.Kind.CANCELLED, "TaskCancelled", e.getMessage(), false);
        }
        if (e instanceof TaskTimeoutException) {
            return CallOutcome.failure(CallOutcome.Kind.TIMEOUT, "TaskTimeout", e.getMessage(), true);
        }
        if (e instanceof InvalidResultFormatException || e instanceof InvalidTaskStatusException) {
            return CallOutcome.failure(CallOutcome.Kind.ERROR, e.getClass().getSimpleName(), e.getMessage(), false);
        }
        if (e instanceof IllegalArgumentException) {
            return CallOutcome.failure(CallOutcome.Kind.INVALID_INPUT, "InvalidInput", e.getMessage(), false);
        }
        // Redis down, pool exhausted, ...: the task may well succeed on another try.
        return CallOutcome.failure(CallOutcome.Kind.ERROR, e.getClass().getSimpleName(), String.valueOf(e.getMessage()),
                true);
    }

    @Override
    public void cancel(OperatorTarget target, String cancelKey) {
        client(target).cancel(cancelKey);
    }

    @Override
    public void close() {
        clients.values().forEach(OperatorClient::close);
        clients.clear();
    }
}
