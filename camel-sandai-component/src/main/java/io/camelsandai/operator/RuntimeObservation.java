package io.camelsandai.operator;

import java.time.Duration;

import io.camelsandai.metrics.SandaiMetrics;
import io.camelsandai.metrics.TaskOutcome;
import io.camelsandai.metrics.TaskTags;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskStatus;

/**
 * The runtime's metrics hooks, kept out of {@link TaskProcessor}'s logic: one per task handed to the handler, from
 * the moment it starts (queue wait recorded, in flight) to its outcome (run time recorded).
 */
final class RuntimeObservation {
    private final SandaiMetrics metrics = SandaiMetrics.global();
    private final TaskTags tags;
    private final Runnable release;
    private final long startNanos = System.nanoTime();

    private RuntimeObservation(OperatorRuntimeSettings settings, Delivery delivery) {
        this.tags = new TaskTags(TaskTags.OPERATOR, settings.operatorName(), settings.operatorVersion(),
                delivery.priority() == null ? null : delivery.priority().wireName());
        double waitedSeconds = System.currentTimeMillis() / 1000.0 - delivery.receivedAt();
        metrics.queueWait(tags, Duration.ofNanos((long) (Math.max(0, waitedSeconds) * 1e9)));
        this.release = metrics.inFlight(tags);
    }

    /** The task is about to be handed to the handler. Never throws. */
    static RuntimeObservation started(OperatorRuntimeSettings settings, Delivery delivery) {
        try {
            return new RuntimeObservation(settings, delivery);
        } catch (RuntimeException | LinkageError e) {
            return null; // metrics must never stop a task
        }
    }

    /** The handler's outcome, as it will be written. Never throws. */
    void finished(OperatorResult result) {
        try {
            release.run();
            TaskStatus status = result == null ? TaskStatus.FAILED : result.status();
            TaskOutcome outcome = status == TaskStatus.SUCCESS ? TaskOutcome.SUCCEEDED
                    : status == TaskStatus.CANCELLED ? TaskOutcome.CANCELLED : TaskOutcome.FAILED;
            String reason = outcome != TaskOutcome.FAILED ? null
                    : status == TaskStatus.DEADLINE_EXCEEDED ? "deadline"
                    : result != null && result.error() != null ? result.error().type() : "error";
            metrics.taskFinished(tags, outcome, reason, Duration.ofNanos(System.nanoTime() - startNanos));
        } catch (RuntimeException | LinkageError e) {
            // metrics must never stop a result from being written
        }
    }
}
