package io.camelsandai.bridge;

import java.util.Objects;

import io.camelsandai.model.OperatorResult;

/**
 * How an operator call ended, independent of any orchestrator: each bridge maps these to its own report.
 *
 * @param kind      the outcome class
 * @param result    the operator's result when {@code kind} is SUCCESS; null otherwise
 * @param errorType the operator's error type (e.g. {@code ArtifactNotFound}) or the bridge's own; null on success
 * @param message   a human-readable message; null on success
 * @param retryable whether sending the same task again may succeed
 */
public record CallOutcome(Kind kind, OperatorResult result, String errorType, String message, boolean retryable) {

    /** Outcome classes. */
    public enum Kind {
        /** The operator answered {@code success}. */
        SUCCESS,
        /** The operator answered {@code failed} (or crashed: Celery FAILURE). */
        FAILED,
        /** The task's parameters could not be turned into an operator request, or the operator refused them. */
        INVALID_INPUT,
        /** The operator took the task after its deadline ({@code deadline_exceeded}). */
        DEADLINE_EXCEEDED,
        /** The task was cancelled through its cancel key (or revoked). */
        CANCELLED,
        /** No final answer within the call's timeout; the operator may still be running it. */
        TIMEOUT,
        /** The task names no operator this worker knows. */
        UNSUPPORTED,
        /** Anything else: Redis unreachable, a malformed answer, a bug. */
        ERROR
    }

    public CallOutcome {
        Objects.requireNonNull(kind, "kind");
    }

    public static CallOutcome success(OperatorResult result) {
        return new CallOutcome(Kind.SUCCESS, result, null, null, false);
    }

    public static CallOutcome failure(Kind kind, String errorType, String message, boolean retryable) {
        if (kind == Kind.SUCCESS) {
            throw new IllegalArgumentException("a failure cannot have kind SUCCESS");
        }
        return new CallOutcome(kind, null, errorType, message, retryable);
    }

    public boolean isSuccess() {
        return kind == Kind.SUCCESS;
    }
}
