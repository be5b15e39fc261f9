package io.camelsandai.metrics;

import io.camelsandai.model.TaskCancelledException;
import io.camelsandai.model.TaskDeadlineExceededException;
import io.camelsandai.model.TaskTimeoutException;

/** How a task ended, as counted by {@code sandai.tasks.succeeded|failed|cancelled}. */
public enum TaskOutcome {
    SUCCEEDED, FAILED, CANCELLED;

    /** The outcome a call's error means; a timeout or a passed deadline counts as failed (tag {@code reason}). */
    public static TaskOutcome of(Throwable error) {
        return error == null ? SUCCEEDED : error instanceof TaskCancelledException ? CANCELLED : FAILED;
    }

    /** Short, bounded reason tag of a failure: timeout, deadline, error type. */
    public static String reason(Throwable error) {
        if (error == null) {
            return "none";
        }
        if (error instanceof TaskTimeoutException) {
            return "timeout";
        }
        if (error instanceof TaskDeadlineExceededException) {
            return "deadline";
        }
        return error.getClass().getSimpleName();
    }
}
