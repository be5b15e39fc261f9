package io.camelsandai.metrics;

import java.time.Duration;

/**
 * Where the client and the operator runtime report what they do. Every method has an empty default, so core code
 * never needs Micrometer; {@link MicrometerSandaiMetrics} records them when Micrometer is on the classpath.
 * <p>
 * Implementations must be cheap and must never throw: they are called on the send and result paths.
 */
public interface SandaiMetrics {

    /** Records nothing. */
    SandaiMetrics NOOP = new SandaiMetrics() {
    };

    /** A task reached Redis. */
    default void taskSent(TaskTags tags) {
    }

    /**
     * A task's final outcome as one side saw it: the client that waited for it, or the operator that ran it.
     * {@code elapsed} is send-to-result on the client, run time on the operator; {@code reason} is a short bounded
     * word for failures (timeout, deadline, an error type), see {@link TaskOutcome#reason(Throwable)}.
     */
    default void taskFinished(TaskTags tags, TaskOutcome outcome, String reason, Duration elapsed) {
    }

    /** One more task in flight on this side (a call awaiting its result, or a task running); returns the release. */
    default Runnable inFlight(TaskTags tags) {
        return () -> {
        };
    }

    /** The operator started a task that waited {@code wait} between being taken from Redis and running. */
    default void queueWait(TaskTags tags, Duration wait) {
    }

    /** A connection pool was opened; its gauges stay until {@link #poolClosed(String)}. */
    default void poolOpened(String poolName, PoolStats stats) {
    }

    default void poolClosed(String poolName) {
    }

    /** The metrics of this JVM: Micrometer's global registry when Micrometer is present, else {@link #NOOP}. */
    static SandaiMetrics global() {
        return GlobalSandaiMetrics.current();
    }

    /** Replaces the metrics of this JVM (e.g. with a Spring Boot registry); null restores the default. */
    static void setGlobal(SandaiMetrics metrics) {
        GlobalSandaiMetrics.set(metrics);
    }
}
