package io.camelsandai.operator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.camelsandai.client.OperatorSettings;
import io.camelsandai.codec.HostName;
import io.camelsandai.model.Priority;
import io.camelsandai.transport.amqp.AmqpUrl;

/**
 * How an {@link OperatorRuntime} serves one operator. Connection, serializers, task names, cancel-key prefix and
 * result expiry come from the same {@link OperatorSettings} the client uses.
 */
public final class OperatorRuntimeSettings {
    private final String operatorName;
    private final String operatorVersion;
    private final OperatorSettings connection;
    private final int concurrency;
    private final int prefetch;
    private final boolean acksLate;
    private final Duration visibilityTimeout;
    private final Duration shutdownTimeout;
    private final String deadLetterQueue;
    private final int maxMessageBytes;
    private final int maxHeldEtaTasks;
    private final boolean trackStarted;
    private final List<Priority> priorities;
    private final Map<String, Object> description;
    private final String workerName;
    private final boolean remoteControl;
    private final Duration safetyWake;
    private final AmqpUrl amqpBroker;
    private final boolean rpcResults;

    private OperatorRuntimeSettings(Builder b) {
        this.operatorName = Objects.requireNonNull(b.operatorName, "operatorName");
        this.operatorVersion = Objects.requireNonNull(b.operatorVersion, "operatorVersion");
        this.connection = b.connection != null ? b.connection : OperatorSettings.fromEnvironment();
        if (b.concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + b.concurrency);
        }
        this.concurrency = b.concurrency;
        this.prefetch = b.prefetch != null ? b.prefetch : b.concurrency;
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, got " + prefetch);
        }
        this.acksLate = b.acksLate;
        this.visibilityTimeout = b.visibilityTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.deadLetterQueue = b.deadLetterQueue;
        this.maxMessageBytes = b.maxMessageBytes;
        if (b.maxHeldEtaTasks < 0) {
            throw new IllegalArgumentException("maxHeldEtaTasks must not be negative, got " + b.maxHeldEtaTasks);
        }
        this.maxHeldEtaTasks = b.maxHeldEtaTasks;
        this.trackStarted = b.trackStarted;
        this.priorities = List.copyOf(b.priorities);
        this.description = Map.copyOf(b.description);
        this.workerName = b.workerName != null ? b.workerName
                : "sandai-" + operatorName + "-" + operatorVersion + "-" + ProcessHandle.current().pid() + "@"
                  + HostName.get();
        this.remoteControl = b.remoteControl;
        this.safetyWake = b.safetyWake;
        // an amqp:// broker URL in the connection settings selects RabbitMQ as well, and its rpc:// result backend
        // Celery's RPC backend: no Redis URL is needed on that path
        this.amqpBroker = b.amqpBrokerUrl != null ? AmqpUrl.parse(b.amqpBrokerUrl) : connection.amqpBrokerUrl();
        this.rpcResults = b.rpcResults || connection.isRpcBackend();
        if (rpcResults && amqpBroker == null) {
            throw new IllegalArgumentException("rpc:// results need an AMQP broker (amqpBrokerUrl)");
        }
    }

    public static Builder builder(String operatorName, String operatorVersion) {
        return new Builder(operatorName, operatorVersion);
    }

    public String operatorName() {
        return operatorName;
    }

    public String operatorVersion() {
        return operatorVersion;
    }

    public OperatorSettings connection() {
        return connection;
    }

    /** Tasks run at once. */
    public int concurrency() {
        return concurrency;
    }

    /**
     * Tasks taken from Redis but not finished, at most, not counting up to {@link #maxHeldEtaTasks()} tasks that
     * wait for their eta; defaults to {@link #concurrency()}.
     */
    public int prefetch() {
        return prefetch;
    }

    /** Ack after the result is written (true, default) or on receipt (Celery's default). */
    public boolean acksLate() {
        return acksLate;
    }

    /** Unacked tasks older than this are pushed back to their queue by any worker, Java or Python. */
    public Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    /** How long a graceful stop lets in-flight tasks finish before returning them to their queues. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** Redis list that receives messages that cannot be run (malformed, oversize), with the reason. */
    public String deadLetterQueue() {
        return deadLetterQueue;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /**
     * Tasks waiting for their Celery {@code eta} (countdown) that do not count against {@link #prefetch()}; more
     * held tasks than this do count, which bounds what far-future tasks can pin in memory. Default 1000.
     */
    public int maxHeldEtaTasks() {
        return maxHeldEtaTasks;
    }

    /** Write a {@code STARTED} state before running a task. */
    public boolean trackStarted() {
        return trackStarted;
    }

    /** The priorities served, in the strict order they are drained. */
    public List<Priority> priorities() {
        return priorities;
    }

    /**
     * Members of the {@code desc} answer other than status/name/version/max_concurrency: {@code description},
     * {@code input_slots}, {@code output_slots}, {@code options_schema}, {@code results_schema}.
     */
    public Map<String, Object> description() {
        return description;
    }

    /**
     * The Celery node name ({@code name@host}) of this worker: the {@code hostname} of its STARTED states and the name
     * it answers to in remote control ({@code celery inspect}, {@code destination=[...]}). Defaults to
     * {@code sandai-<operator>-<version>-<pid>@<host>}.
     */
    public String workerName() {
        return workerName;
    }

    /** Answer Celery remote control (pidbox): {@code celery inspect}, {@code celery status}, revoke. Default true. */
    public boolean remoteControl() {
        return remoteControl;
    }

    /**
     * The RabbitMQ broker the worker takes its tasks from, or null to take them from the Redis broker of
     * {@link #connection()}.
     */
    public AmqpUrl amqpBroker() {
        return amqpBroker;
    }

    /**
     * True when results go to each task's {@code reply_to} queue as Celery's {@code rpc://} backend sends them: the
     * connection's {@code resultBackendUrl} is {@code rpc://}, or {@link Builder#rpcResults(boolean)} said so.
     */
    public boolean rpcResults() {
        return rpcResults;
    }

    /** How long an idle taker sleeps when CLIENT TRACKING is on and nothing woke it (package-private: tests). */
    Duration safetyWake() {
        return safetyWake;
    }

    public static final class Builder {
        private final String operatorName;
        private final String operatorVersion;
        private OperatorSettings connection;
        private int concurrency = 1;
        private Integer prefetch;
        private boolean acksLate = true;
        private Duration visibilityTimeout = Duration.ofHours(1);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private String deadLetterQueue = "sandai.dead-letter";
        private int maxMessageBytes = 16 * 1024 * 1024;
        private int maxHeldEtaTasks = 1000;
        private boolean trackStarted;
        private List<Priority> priorities = List.of(Priority.values());
        private final Map<String, Object> description = new LinkedHashMap<>();
        private String workerName;
        private boolean remoteControl = true;
        private Duration safetyWake = Duration.ofSeconds(1);
        private String amqpBrokerUrl;
        private boolean rpcResults;

        private Builder(String operatorName, String operatorVersion) {
            this.operatorName = operatorName;
            this.operatorVersion = operatorVersion;
        }

        public Builder connection(OperatorSettings v) {
            connection = v;
            return this;
        }

        public Builder concurrency(int v) {
            concurrency = v;
            return this;
        }

        public Builder prefetch(Integer v) {
            prefetch = v;
            return this;
        }

        public Builder acksLate(boolean v) {
            acksLate = v;
            return this;
        }

        public Builder visibilityTimeout(Duration v) {
            visibilityTimeout = Objects.requireNonNull(v);
            return this;
        }

        public Builder shutdownTimeout(Duration v) {
            shutdownTimeout = Objects.requireNonNull(v);
            return this;
        }

        public Builder deadLetterQueue(String v) {
            deadLetterQueue = Objects.requireNonNull(v);
            return this;
        }

        public Builder maxMessageBytes(int v) {
            maxMessageBytes = v;
            return this;
        }

        public Builder maxHeldEtaTasks(int v) {
            maxHeldEtaTasks = v;
            return this;
        }

        public Builder trackStarted(boolean v) {
            trackStarted = v;
            return this;
        }

        public Builder priorities(List<Priority> v) {
            priorities = v;
            return this;
        }

        /** One desc member, e.g. {@code describe("input_slots", List.of("video"))}. */
        public Builder describe(String key, Object value) {
            description.put(key, value);
            return this;
        }

        public Builder workerName(String v) {
            workerName = v;
            return this;
        }

        public Builder remoteControl(boolean v) {
            remoteControl = v;
            return this;
        }

        /**
         * Takes tasks from RabbitMQ ({@code amqp://user:pass@host:5672/vhost}, {@code amqps://...}) instead of the
         * Redis broker of the connection settings; results still go to the connection's result backend (Redis)
         * unless {@link #rpcResults(boolean)}. Null: Redis.
         */
        public Builder amqpBrokerUrl(String v) {
            amqpBrokerUrl = v;
            return this;
        }

        /**
         * Results as Celery's {@code rpc://} backend sends them (needs an AMQP broker), whatever the connection's
         * result backend is; a connection with {@code brokerUrl=amqp://...} and {@code resultBackendUrl=rpc://} needs
         * neither this nor {@link #amqpBrokerUrl(String)}.
         */
        public Builder rpcResults(boolean v) {
            rpcResults = v;
            return this;
        }

        /** Not public: only a test that must tell a tracking wake-up from the safety net changes it. */
        Builder safetyWake(Duration v) {
            safetyWake = Objects.requireNonNull(v);
            return this;
        }

        public OperatorRuntimeSettings build() {
            return new OperatorRuntimeSettings(this);
        }
    }
}
