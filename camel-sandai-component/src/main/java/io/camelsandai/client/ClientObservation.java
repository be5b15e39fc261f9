package io.camelsandai.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.camelsandai.metrics.SandaiMetrics;
import io.camelsandai.metrics.TaskOutcome;
import io.camelsandai.metrics.TaskTags;
import io.camelsandai.model.Priority;

/** The client's metrics hooks, kept out of {@link OperatorClient}'s logic: they only observe its futures. */
final class ClientObservation {
    private ClientObservation() {
    }

    static TaskTags tags(String name, String version, Priority priority) {
        return new TaskTags(TaskTags.CLIENT, name, version, priority == null ? null : priority.wireName());
    }

    /** Counts the task as sent once Redis has it. */
    static <T> CompletableFuture<T> sent(TaskTags tags, CompletableFuture<T> push) {
        push.thenRun(() -> SandaiMetrics.global().taskSent(tags));
        return push;
    }

    /** Tracks one awaited call: in flight until its result, then its outcome and send-to-result time. */
    static <T> CompletableFuture<T> call(TaskTags tags, CompletableFuture<T> call) {
        SandaiMetrics metrics = SandaiMetrics.global();
        long start = System.nanoTime();
        Runnable release = metrics.inFlight(tags);
        call.whenComplete((r, e) -> {
            release.run();
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            metrics.taskFinished(tags, TaskOutcome.of(cause), cause == null ? null : TaskOutcome.reason(cause),
                    Duration.ofNanos(System.nanoTime() - start));
        });
        return call;
    }
}
