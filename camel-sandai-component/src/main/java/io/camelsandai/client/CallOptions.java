package io.camelsandai.client;

import java.time.Duration;

import io.camelsandai.model.Priority;

/**
 * Per-call task controls. Null members fall back to the client's defaults.
 *
 * @param priority         queue priority
 * @param timeout          becomes {@code meta.deadline = now + timeout} and bounds how long a call waits
 * @param cancelKey        lets {@link OperatorClient#cancel(String)} skip the task before it computes
 * @param persistentOutput outputs go below the persistent prefix
 * @param taskId           an explicit Celery task id (a fresh UUID4 when null)
 */
public record CallOptions(Priority priority, Duration timeout, String cancelKey, boolean persistentOutput, String taskId) {

    public static final CallOptions DEFAULTS = new CallOptions(null, null, null, false, null);

    public static CallOptions priority(Priority priority) {
        return DEFAULTS.withPriority(priority);
    }

    public static CallOptions timeout(Duration timeout) {
        return DEFAULTS.withTimeout(timeout);
    }

    public CallOptions withPriority(Priority p) {
        return new CallOptions(p, timeout, cancelKey, persistentOutput, taskId);
    }

    public CallOptions withTimeout(Duration t) {
        return new CallOptions(priority, t, cancelKey, persistentOutput, taskId);
    }

    public CallOptions withCancelKey(String k) {
        return new CallOptions(priority, timeout, k, persistentOutput, taskId);
    }

    public CallOptions withPersistentOutput(boolean p) {
        return new CallOptions(priority, timeout, cancelKey, p, taskId);
    }

    public CallOptions withTaskId(String id) {
        return new CallOptions(priority, timeout, cancelKey, persistentOutput, id);
    }
}
