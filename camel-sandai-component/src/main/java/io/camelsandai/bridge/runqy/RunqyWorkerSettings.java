package io.camelsandai.bridge.runqy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.Priority;
import io.camelsandai.transport.RedisUrl;
import io.camelsandai.transport.TlsSettings;

/**
 * How a {@link RunqyToSandaiWorker} takes runqy tasks and which Sandai operator runs them. Defaults are
 * runqy-worker's: 2 min lease renewed every minute, retry delay n^4 x 10 s capped at 24 h, results kept 24 h,
 * archived tasks 72 h.
 *
 * <p>The runqy Redis is either given as a URL ({@link #builder}; queues are full names, tried in the given order)
 * or obtained from a runqy server with runqy-worker's handshake ({@link #fromServer}; queues are parents such as
 * {@code inference} = all its sub-queues, or sub-queues such as {@code inference.high}; the server's sub-queue
 * priorities weight the order, and its {@code redis_storage} decides result storage unless
 * {@link Builder#storeResult} was set).
 */
public final class RunqyWorkerSettings {
    private final RedisUrl redisUrl;
    private final java.net.URI serverUrl;
    private final String workerKey;
    private final String workerVersion;
    private final TlsSettings tls;
    private final List<String> queues;
    private final String operatorName;
    private final String operatorVersion;
    private final OperatorSettings operatorSettings;
    private final Priority priority;
    private final int concurrency;
    private final Duration lease;
    private final Duration pollInterval;
    private final Duration maintenanceInterval;
    private final Boolean storeResult;
    private final Duration completedTtl;
    private final Duration archivedTtl;
    private final Duration defaultTaskTimeout;
    private final IntFunction<Duration> retryDelay;
    private final PendingSinceUnit pendingSinceUnit;
    private final Duration shutdownTimeout;

    private RunqyWorkerSettings(Builder b) {
        this.serverUrl = b.serverUrl == null ? null : java.net.URI.create(b.serverUrl.trim());
        this.redisUrl = serverUrl != null ? null : RedisUrl.parse(Objects.requireNonNull(b.redisUrl, "redisUrl"));
        this.workerKey = b.workerKey;
        this.workerVersion = b.workerVersion;
        this.tls = b.tls;
        if (b.queues.isEmpty()) {
            throw new IllegalArgumentException("at least one runqy queue is needed");
        }
        List<String> q = new ArrayList<>();
        for (String name : b.queues) {
            if (serverUrl == null) {
                q.add(AsynqKeys.normalizeQueue(name));
            } else if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("runqy queue name must not be empty");
            } else {
                q.add(name.trim()); // a parent name means all its sub-queues: not normalised
            }
        }
        this.queues = List.copyOf(q);
        this.operatorName = Objects.requireNonNull(b.operatorName, "operatorName");
        this.operatorVersion = Objects.requireNonNull(b.operatorVersion, "operatorVersion");
        this.operatorSettings = b.operatorSettings != null ? b.operatorSettings : OperatorSettings.fromEnvironment();
        this.priority = b.priority;
        if (b.concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + b.concurrency);
        }
        this.concurrency = b.concurrency;
        if (b.lease.getSeconds() < 2) {
            throw new IllegalArgumentException("lease must be at least 2 s (scores are whole seconds), got " + b.lease);
        }
        this.lease = b.lease;
        this.pollInterval = b.pollInterval;
        this.maintenanceInterval = b.maintenanceInterval;
        this.storeResult = b.storeResult;
        this.completedTtl = b.completedTtl;
        this.archivedTtl = b.archivedTtl;
        this.defaultTaskTimeout = b.defaultTaskTimeout;
        this.retryDelay = b.retryDelay;
        this.pendingSinceUnit = b.pendingSinceUnit;
        this.shutdownTimeout = b.shutdownTimeout;
    }

    public static Builder builder(String redisUrl, String operatorName, String operatorVersion) {
        return new Builder(redisUrl, null, null, operatorName, operatorVersion);
    }

    /** Redis and sub-queues come from {@code POST <serverUrl>/worker/register} with the worker (or admin) key. */
    public static Builder fromServer(String serverUrl, String workerKey, String operatorName, String operatorVersion) {
        return new Builder(null, Objects.requireNonNull(serverUrl, "serverUrl"), workerKey, operatorName,
                operatorVersion);
    }

    /** runqy-worker's default: attempt n waits n^4 x 10 s, at most 24 h. */
    public static Duration defaultRetryDelay(int attempt) {
        double seconds = Math.pow(attempt, 4) * 10;
        return seconds >= 86_400 ? Duration.ofHours(24) : Duration.ofSeconds((long) seconds);
    }

    /** The configured runqy Redis; null when it comes from a runqy server. */
    public RedisUrl redisUrl() {
        return redisUrl;
    }

    /** The runqy server to register with; null when the Redis URL is configured. */
    public java.net.URI serverUrl() {
        return serverUrl;
    }

    /** The worker key for the handshake (a secret: never shown). */
    String workerKey() {
        return workerKey;
    }

    /** Sent as {@code version} in the handshake. */
    public String workerVersion() {
        return workerVersion;
    }

    public TlsSettings tls() {
        return tls;
    }

    /**
     * With a Redis URL: full queue names, polled in this order (the first has strict priority). With a runqy server:
     * the names as configured (parents or sub-queues), resolved at start.
     */
    public List<String> queues() {
        return queues;
    }

    public String operatorName() {
        return operatorName;
    }

    public String operatorVersion() {
        return operatorVersion;
    }

    /** Connection of the Sandai side (may be another Redis than the runqy one). */
    public OperatorSettings operatorSettings() {
        return operatorSettings;
    }

    /** Priority the Sandai tasks are sent with; null = the operator settings' default. */
    public Priority priority() {
        return priority;
    }

    public int concurrency() {
        return concurrency;
    }

    public Duration lease() {
        return lease;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    /** How often due retries are forwarded, expired leases recovered and old entries purged. */
    public Duration maintenanceInterval() {
        return maintenanceInterval;
    }

    /** runqy's {@code redis_storage}: write the result into the task hash (default true). */
    public boolean storeResult() {
        return storeResult == null || storeResult;
    }

    /** True when {@link Builder#storeResult} was called (it then wins over the server's {@code redis_storage}). */
    public boolean storeResultSet() {
        return storeResult != null;
    }

    public Duration completedTtl() {
        return completedTtl;
    }

    public Duration archivedTtl() {
        return archivedTtl;
    }

    /** Used when the task names no timeout ({@code active_timeout} field or TaskMessage timeout). */
    public Duration defaultTaskTimeout() {
        return defaultTaskTimeout;
    }

    public Duration retryDelay(int attempt) {
        return retryDelay.apply(attempt);
    }

    public PendingSinceUnit pendingSinceUnit() {
        return pendingSinceUnit;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    @Override
    public String toString() {
        String source = serverUrl != null ? "runqy server " + serverUrl + (workerKey == null ? "" : " key=***")
                : String.valueOf(redisUrl);
        return "RunqyWorkerSettings[" + source + " " + queues + " -> " + operatorName + "/" + operatorVersion
               + " concurrency=" + concurrency + "]";
    }

    public static final class Builder {
        private final String redisUrl;
        private final String serverUrl;
        private final String workerKey;
        private String workerVersion = "camel-sandai";
        private final String operatorName;
        private final String operatorVersion;
        private TlsSettings tls = TlsSettings.DEFAULT;
        private final List<String> queues = new ArrayList<>();
        private OperatorSettings operatorSettings;
        private Priority priority;
        private int concurrency = 1;
        private Duration lease = Duration.ofMinutes(2);
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration maintenanceInterval = Duration.ofSeconds(5);
        private Boolean storeResult;
        private Duration completedTtl = Duration.ofHours(24);
        private Duration archivedTtl = Duration.ofHours(72);
        private Duration defaultTaskTimeout = Duration.ofMinutes(30);
        private IntFunction<Duration> retryDelay = RunqyWorkerSettings::defaultRetryDelay;
        private PendingSinceUnit pendingSinceUnit = PendingSinceUnit.NANOSECONDS;
        private Duration shutdownTimeout = Duration.ofSeconds(30);

        private Builder(String redisUrl, String serverUrl, String workerKey, String operatorName,
                        String operatorVersion) {
            this.redisUrl = redisUrl;
            this.serverUrl = serverUrl;
            this.workerKey = workerKey;
            this.operatorName = operatorName;
            this.operatorVersion = operatorVersion;
        }

        /** {@code version} of the handshake (default {@code camel-sandai}). */
        public Builder workerVersion(String v) {
            workerVersion = Objects.requireNonNull(v);
            return this;
        }

        public Builder tls(TlsSettings v) {
            tls = v;
            return this;
        }

        /** Adds a queue; {@code inference} means {@code inference.default}. */
        public Builder queue(String v) {
            queues.add(v);
            return this;
        }

        public Builder queues(List<String> v) {
            queues.addAll(v);
            return this;
        }

        public Builder operatorSettings(OperatorSettings v) {
            operatorSettings = v;
            return this;
        }

        public Builder priority(Priority v) {
            priority = v;
            return this;
        }

        public Builder concurrency(int v) {
            concurrency = v;
            return this;
        }

        public Builder lease(Duration v) {
            lease = Objects.requireNonNull(v);
            return this;
        }

        public Builder pollInterval(Duration v) {
            pollInterval = Objects.requireNonNull(v);
            return this;
        }

        public Builder maintenanceInterval(Duration v) {
            maintenanceInterval = Objects.requireNonNull(v);
            return this;
        }

        public Builder storeResult(boolean v) {
            storeResult = v;
            return this;
        }

        /** {@link Duration#ZERO} = keep forever (runqy's 100-year score, no EXPIRE). */
        public Builder completedTtl(Duration v) {
            completedTtl = Objects.requireNonNull(v);
            return this;
        }

        public Builder archivedTtl(Duration v) {
            archivedTtl = Objects.requireNonNull(v);
            return this;
        }

        public Builder defaultTaskTimeout(Duration v) {
            defaultTaskTimeout = Objects.requireNonNull(v);
            return this;
        }

        /** Delay before retry attempt n (1-based). */
        public Builder retryDelay(IntFunction<Duration> v) {
            retryDelay = Objects.requireNonNull(v);
            return this;
        }

        public Builder pendingSinceUnit(PendingSinceUnit v) {
            pendingSinceUnit = Objects.requireNonNull(v);
            return this;
        }

        public Builder shutdownTimeout(Duration v) {
            shutdownTimeout = Objects.requireNonNull(v);
            return this;
        }

        public RunqyWorkerSettings build() {
            return new RunqyWorkerSettings(this);
        }
    }
}
