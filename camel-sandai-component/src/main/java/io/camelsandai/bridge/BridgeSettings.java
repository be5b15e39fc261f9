package io.camelsandai.bridge;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.camelsandai.util.Backoff;

/**
 * How a {@link BridgeWorker} runs: concurrency limits, heartbeat interval, stop timeout and backoffs. Immutable;
 * build with {@link #builder()}.
 */
public final class BridgeSettings {
    private final int maxConcurrentTasks;
    private final Map<String, Integer> groupLimits;
    private final Duration heartbeatInterval;
    private final Duration heartbeatDebounce;
    private final Duration shutdownTimeout;
    private final Backoff fetchBackoff;
    private final Backoff reportBackoff;
    private final int reportSenders;

    private BridgeSettings(Builder b) {
        if (b.maxConcurrentTasks < 1) {
            throw new IllegalArgumentException("maxConcurrentTasks must be at least 1, got " + b.maxConcurrentTasks);
        }
        b.groupLimits.forEach((group, limit) -> {
            if (limit == null || limit < 1) {
                throw new IllegalArgumentException("limit of task type '" + group + "' must be at least 1, got " + limit);
            }
        });
        this.maxConcurrentTasks = b.maxConcurrentTasks;
        this.groupLimits = Map.copyOf(b.groupLimits);
        this.heartbeatInterval = positive("heartbeatInterval", b.heartbeatInterval);
        this.heartbeatDebounce = b.heartbeatDebounce;
        this.shutdownTimeout = b.shutdownTimeout;
        this.fetchBackoff = b.fetchBackoff;
        this.reportBackoff = b.reportBackoff;
        this.reportSenders = Math.max(1, b.reportSenders);
    }

    private static Duration positive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The global limit: tasks fetched and not yet reported never exceed it. */
    public int maxConcurrentTasks() {
        return maxConcurrentTasks;
    }

    /** Per task type (limit group) limits, within the global one. */
    public Map<String, Integer> groupLimits() {
        return groupLimits;
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** Delay of the extra heartbeat sent after the load changes; null or zero = no extra heartbeats. */
    public Duration heartbeatDebounce() {
        return heartbeatDebounce;
    }

    /** How long {@link BridgeWorker#stop()} lets in-flight calls finish and reports go out. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** Between failed fetches (source unreachable) and failed registrations. */
    public Backoff fetchBackoff() {
        return fetchBackoff;
    }

    /** Between tries of a report that could not be posted. */
    public Backoff reportBackoff() {
        return reportBackoff;
    }

    public int reportSenders() {
        return reportSenders;
    }

    /** Builder with defaults: 1 task, heartbeat every 15 s, stop within 30 s, backoffs 0.5 s to 30 s. */
    public static final class Builder {
        private int maxConcurrentTasks = 1;
        private final Map<String, Integer> groupLimits = new LinkedHashMap<>();
        private Duration heartbeatInterval = Duration.ofSeconds(15);
        private Duration heartbeatDebounce = Duration.ofMillis(100);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Backoff fetchBackoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        private Backoff reportBackoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        private int reportSenders = 4;

        public Builder maxConcurrentTasks(int v) {
            this.maxConcurrentTasks = v;
            return this;
        }

        public Builder groupLimit(String group, int limit) {
            this.groupLimits.put(group, limit);
            return this;
        }

        public Builder groupLimits(Map<String, Integer> limits) {
            this.groupLimits.putAll(limits);
            return this;
        }

        public Builder heartbeatInterval(Duration v) {
            this.heartbeatInterval = v;
            return this;
        }

        public Builder heartbeatDebounce(Duration v) {
            this.heartbeatDebounce = v;
            return this;
        }

        public Builder shutdownTimeout(Duration v) {
            this.shutdownTimeout = v;
            return this;
        }

        public Builder fetchBackoff(Backoff v) {
            this.fetchBackoff = v;
            return this;
        }

        public Builder reportBackoff(Backoff v) {
            this.reportBackoff = v;
            return this;
        }

        public Builder reportSenders(int v) {
            this.reportSenders = v;
            return this;
        }

        public BridgeSettings build() {
            return new BridgeSettings(this);
        }
    }
}
