package io.camelsandai.bridge.runqy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskError;
import io.camelsandai.operator.OperatorHandler;
import io.camelsandai.operator.OperatorTask;

/**
 * A Sandai operator backed by a runqy server: each task's kwargs ({@code input_artifacts}, {@code options},
 * {@code meta}) are enqueued as the runqy {@code data}, then the task is awaited with {@code wait=true} long polls.
 *
 * <p>States: {@code completed} -> {@code success}, with the runqy result as {@code results} (a JSON object as is,
 * any other value under {@code "result"}); {@code archived} -> {@code failed} {@code RunqyTaskArchived}, not
 * retryable (runqy already spent its retries), message = {@code LastErr}; still {@code retry}, {@code pending} or
 * {@code active} when {@code resultTimeout} is over -> {@code failed} {@code TaskTimeout}, retryable, with the last
 * runqy error if any. Enqueue errors: 401/403 {@code RunqyAuthenticationFailed}, 404 {@code RunqyQueueNotFound},
 * 400 {@code InvalidInput} (not retryable); no connection or 5xx {@code RunqyUnavailable} (retryable).
 */
public final class RunqyBackedHandler implements OperatorHandler {
    private final RunqyClient client;
    private final String queue;
    private final Duration taskTimeout;
    private final Duration resultTimeout;
    private final Duration pollInterval;

    /**
     * @param taskTimeout   the runqy {@code timeout} sent with each task
     * @param resultTimeout how long to wait for a final state
     * @param pollInterval  pause between polls when the server answers a non-final state without waiting
     */
    public RunqyBackedHandler(RunqyClient client, String queue, Duration taskTimeout, Duration resultTimeout,
                              Duration pollInterval) {
        this.client = Objects.requireNonNull(client, "client");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.taskTimeout = Objects.requireNonNull(taskTimeout, "taskTimeout");
        this.resultTimeout = Objects.requireNonNull(resultTimeout, "resultTimeout");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    }

    public RunqyBackedHandler(RunqyClient client, String queue) {
        this(client, queue, RunqyClient.DEFAULT_TASK_TIMEOUT, RunqyClient.DEFAULT_TASK_TIMEOUT.plusMinutes(1),
                Duration.ofSeconds(1));
    }

    @Override
    public CompletionStage<OperatorResult> handle(OperatorTask task) {
        if (task.isCancelled()) {
            return CompletableFuture.completedFuture(OperatorResult.cancelled("cancelled before it was sent to runqy"));
        }
        long deadline = System.nanoTime() + resultTimeout.toNanos();
        Map<String, Object> data = new LinkedHashMap<>(task.request().toKwargs());
        return client.enqueueAsync(queue, data, taskTimeout)
                .thenCompose(info -> await(info.taskId(), deadline, info))
                .exceptionally(RunqyBackedHandler::enqueueFailure);
    }

    private CompletableFuture<OperatorResult> await(String id, long deadline, RunqyTaskInfo last) {
        if (System.nanoTime() - deadline >= 0) {
            String why = last.error().isEmpty() ? "" : "; last runqy error: " + last.error();
            return CompletableFuture.completedFuture(OperatorResult.failed(new TaskError("TaskTimeout",
                    "runqy task " + id + " still " + last.state() + " after " + resultTimeout + why, true)));
        }
        return client.waitTaskAsync(id).thenCompose(answer -> {
            if (answer.isPresent() && answer.get().isFinal()) {
                return CompletableFuture.completedFuture(toResult(answer.get()));
            }
            if (answer.isEmpty()) {
                // The server already waited (408): read the current state so a timeout can say what it was.
                return client.getTaskAsync(id).thenCompose(now -> now.isFinal()
                        ? CompletableFuture.completedFuture(toResult(now)) : await(id, deadline, now));
            }
            RunqyTaskInfo seen = answer.get();
            long left = Math.max(0, deadline - System.nanoTime());
            long pause = Math.min(pollInterval.toNanos(), left);
            return CompletableFuture.supplyAsync(() -> null,
                    CompletableFuture.delayedExecutor(pause, TimeUnit.NANOSECONDS)).thenCompose(x -> await(id, deadline, seen));
        });
    }

    /** completed -> success with the result as results; archived -> failed (not retryable). */
    static OperatorResult toResult(RunqyTaskInfo info) {
        if (info.isArchived()) {
            return OperatorResult.failed(new TaskError("RunqyTaskArchived",
                    info.error().isEmpty() ? "runqy task " + info.taskId() + " failed" : info.error(), false));
        }
        Map<String, Object> results = new LinkedHashMap<>();
        if (info.result() instanceof Map<?, ?> m) {
            m.forEach((k, v) -> results.put(String.valueOf(k), v));
        } else if (info.result() != null) {
            results.put("result", info.result());
        }
        return OperatorResult.success(null, results);
    }

    private static OperatorResult enqueueFailure(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof AuthenticationException) {
            return failed("RunqyAuthenticationFailed", cause.getMessage(), false);
        }
        if (cause instanceof TaskNotFoundException) {
            return failed("RunqyQueueNotFound", cause.getMessage(), false);
        }
        if (cause instanceof RunqyException r) {
            int s = r.status();
            if (s == 403) {
                return failed("RunqyAuthenticationFailed", r.getMessage(), false);
            }
            if (s == 400) {
                return failed("InvalidInput", r.getMessage(), false);
            }
            return failed("RunqyUnavailable", r.getMessage(), true);
        }
        return failed("RunqyUnavailable", String.valueOf(cause), true);
    }

    private static OperatorResult failed(String type, String message, boolean retryable) {
        return OperatorResult.failed(new TaskError(type, message, retryable));
    }
}
