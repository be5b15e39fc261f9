package io.camelsandai.bridge.runqy;

import java.time.LocalDate;
import java.time.ZoneOffset;

/** Key names of the asynq layout runqy uses, for one full queue name such as {@code inference.default}. */
public final class AsynqKeys {
    public static final String ALL_QUEUES = "asynq:queues";

    private final String queue;
    private final String prefix;

    private AsynqKeys(String queue) {
        this.queue = queue;
        this.prefix = "asynq:{" + queue + "}:";
    }

    /** Keys of a queue; the name is normalised first ({@code inference} is {@code inference.default}). */
    public static AsynqKeys of(String queue) {
        return new AsynqKeys(normalizeQueue(queue));
    }

    /** runqy's rule: a queue without a sub-queue is the {@code default} sub-queue. */
    public static String normalizeQueue(String queue) {
        String q = queue == null ? "" : queue.trim();
        if (q.isEmpty()) {
            throw new IllegalArgumentException("queue name must not be empty");
        }
        return q.contains(".") ? q : q + ".default";
    }

    public String queue() {
        return queue;
    }

    public String pending() {
        return prefix + "pending";
    }

    public String active() {
        return prefix + "active";
    }

    public String lease() {
        return prefix + "lease";
    }

    public String scheduled() {
        return prefix + "scheduled";
    }

    public String retry() {
        return prefix + "retry";
    }

    public String completed() {
        return prefix + "completed";
    }

    public String archived() {
        return prefix + "archived";
    }

    public String paused() {
        return prefix + "paused";
    }

    /** Prefix of task hashes; the hash of task {@code id} is this plus the id. */
    public String taskPrefix() {
        return prefix + "t:";
    }

    public String task(String id) {
        return taskPrefix() + id;
    }

    /** runqy's reverse lookup {@code asynq:t:<id>} (field {@code queue}); not hash-tagged. */
    public static String reverseLookup(String id) {
        return "asynq:t:" + id;
    }

    public String processed() {
        return prefix + "processed";
    }

    public String failed() {
        return prefix + "failed";
    }

    public String processedOn(LocalDate day) {
        return processed() + ":" + day;
    }

    public String failedOn(LocalDate day) {
        return failed() + ":" + day;
    }

    static LocalDate todayUtc() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    @Override
    public String toString() {
        return queue;
    }
}
