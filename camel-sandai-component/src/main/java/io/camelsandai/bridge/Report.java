package io.camelsandai.bridge;

import java.util.Objects;

/**
 * One message to post back to the task source (a result, an event). Reports about the same task are posted in the
 * order they were handed to the outbox.
 *
 * @param taskId     the task the report is about: the ordering key
 * @param what       a short description for logs and the stop report (no secrets)
 * @param sender     posts it once; throws on a failure worth retrying, returns REJECTED for a final refusal
 * @param bestEffort true for progress-like messages: never retried, and dropped when earlier reports are still pending
 */
public record Report(String taskId, String what, Sender sender, boolean bestEffort) {

    /** Posts a report once. Called again (later) when it throws. */
    @FunctionalInterface
    public interface Sender {
        Delivery send() throws Exception;
    }

    public Report {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(sender, "sender");
    }

    public static Report durable(String taskId, String what, Sender sender) {
        return new Report(taskId, what, sender, false);
    }

    public static Report bestEffort(String taskId, String what, Sender sender) {
        return new Report(taskId, what, sender, true);
    }

    @Override
    public String toString() {
        return "Report[" + taskId + " " + what + "]";
    }
}
