package io.camelsandai.client;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.Durations;
import io.camelsandai.model.Priority;
import io.camelsandai.transport.RedisUrl;
import io.camelsandai.transport.amqp.AmqpUrl;
import io.camelsandai.transport.Durability;
import io.camelsandai.transport.TlsSettings;

/**
 * Connection and protocol settings of an {@link OperatorClient}. Each value comes from, in order: what the caller
 * set, the {@code SANDAI_OPERATOR_*} environment variable of the Python client, the default. Immutable; build with
 * {@link #builder()}.
 */
public final class OperatorSettings {
    public static final String DEFAULT_BROKER_URL = "redis://localhost:6379/0";
    public static final String DEFAULT_TASK_NAME = "sandai.operator.process";
    public static final String DEFAULT_DESC_TASK_NAME = "sandai.operator.desc";
    public static final String DEFAULT_CANCEL_KEY_PREFIX = "sandai:cancel:";

    /** Which clients may share Redis resources: those of the same operator, or any in the process. */
    public enum SharingScope {
        OPERATOR, PROCESS;

        static SharingScope parse(String value) {
            return SharingScope.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final RedisUrl brokerUrl;
    private final AmqpUrl amqpBrokerUrl;
    private final RedisUrl resultBackendUrl;
    private final boolean rpcBackend;
    private final ContentType taskSerializer;
    private final ContentType resultSerializer;
    private final Set<String> acceptContent;
    private final boolean autoForgetResult;
    private final int brokerPoolLimit;
    private final int backendPoolLimit;
    private final int backendPollConcurrency;
    private final Duration poolAcquireTimeout;
    private final SharingScope sharedTransportScope;
    private final String taskName;
    private final String descTaskName;
    private final String cancelKeyPrefix;
    private final Duration cancelTtl;
    private final int resultExpiresSeconds;
    private final Priority defaultPriority;
    private final Duration defaultTimeout;
    private final Duration connectTimeout;
    private final TlsSettings tls;
    private final Durability durability;

    private OperatorSettings(Builder b, Function<String, String> env) {
        String broker = first(b.brokerUrl, env.apply("SANDAI_OPERATOR_CELERY_BROKER_URL"), DEFAULT_BROKER_URL);
        // Sentinel: kombu's master_name (broker_transport_options / result_backend_transport_options) and
        // sentinel_kwargs (the sentinels' password and ssl). The backend's master name defaults to the broker's, as
        // its URL does.
        String masterName = first(b.sentinelMasterName, env.apply("SANDAI_OPERATOR_BROKER_MASTER_NAME"), null);
        String backendMasterName = first(b.resultBackendSentinelMasterName,
                env.apply("SANDAI_OPERATOR_BACKEND_MASTER_NAME"), masterName);
        String sentinelPassword = first(b.sentinelPassword, env.apply("SANDAI_OPERATOR_SENTINEL_PASSWORD"), null);
        boolean sentinelTls = Boolean.parseBoolean(first(b.sentinelTls, env.apply("SANDAI_OPERATOR_SENTINEL_TLS"),
                "false"));
        String backend = first(b.resultBackendUrl, env.apply("SANDAI_OPERATOR_CELERY_RESULT_BACKEND"), null);
        boolean rpc = isRpcUrl(backend);
        if (AmqpUrl.isAmqp(broker)) {
            // RabbitMQ carries the tasks; results come back either on a Redis result backend (which then also holds
            // cancel keys) or, with rpc://, as messages to the client's reply queue. Celery's default backend with an
            // amqp:// broker is "disabled", so one of them has to be named.
            this.amqpBrokerUrl = AmqpUrl.parse(broker);
            this.brokerUrl = null;
            if (backend == null || AmqpUrl.isAmqp(backend)) {
                throw new IllegalArgumentException("With an amqp:// broker (" + amqpBrokerUrl + ") the result backend "
                        + "must be rpc:// or a redis://, rediss:// or sentinel:// URL (option resultBackendUrl)");
            }
        } else {
            if (rpc) {
                throw new IllegalArgumentException("resultBackendUrl=rpc:// needs an amqp:// or amqps:// broker (the "
                        + "results come back over RabbitMQ); the broker is " + RedisUrl.parse(broker));
            }
            this.amqpBrokerUrl = null;
            this.brokerUrl = RedisUrl.parse(broker).withSentinel(masterName, sentinelPassword, sentinelTls);
        }
        this.rpcBackend = rpc;
        this.resultBackendUrl = rpc ? null : RedisUrl.parse(backend != null ? backend : broker)
                .withSentinel(backendMasterName, sentinelPassword, sentinelTls);
        this.taskSerializer = ContentType.fromSerializerName(first(b.taskSerializer,
                env.apply("SANDAI_OPERATOR_CELERY_TASK_SERIALIZER"), "msgpack"));
        this.resultSerializer = ContentType.fromSerializerName(first(b.resultSerializer,
                env.apply("SANDAI_OPERATOR_CELERY_RESULT_SERIALIZER"), "json"));
        this.acceptContent = b.acceptContent != null ? Set.copyOf(b.acceptContent) : Set.of("json", "msgpack");
        this.autoForgetResult = Boolean.parseBoolean(first(b.autoForgetResult,
                env.apply("SANDAI_OPERATOR_AUTO_FORGET_RESULT"), "false"));
        this.brokerPoolLimit = positive("brokerPoolLimit",
                first(b.brokerPoolLimit, env.apply("SANDAI_OPERATOR_BROKER_POOL_LIMIT"), "8"));
        this.backendPoolLimit = positive("backendPoolLimit",
                first(b.backendPoolLimit, env.apply("SANDAI_OPERATOR_BACKEND_POOL_LIMIT"), "8"));
        this.backendPollConcurrency = positive("backendPollConcurrency",
                first(b.backendPollConcurrency, env.apply("SANDAI_OPERATOR_BACKEND_POLL_CONCURRENCY"), "4"));
        this.poolAcquireTimeout = b.poolAcquireTimeout != null ? b.poolAcquireTimeout
                : Durations.parse("SANDAI_OPERATOR_POOL_ACQUIRE_TIMEOUT",
                        first(null, env.apply("SANDAI_OPERATOR_POOL_ACQUIRE_TIMEOUT"), "30"));
        this.sharedTransportScope = SharingScope.parse(first(b.sharedTransportScope,
                env.apply("SANDAI_OPERATOR_SHARED_TRANSPORT_SCOPE"), "operator"));
        this.taskName = first(b.taskName, null, DEFAULT_TASK_NAME);
        this.descTaskName = first(b.descTaskName, null, DEFAULT_DESC_TASK_NAME);
        this.cancelKeyPrefix = first(b.cancelKeyPrefix, null, DEFAULT_CANCEL_KEY_PREFIX);
        this.cancelTtl = b.cancelTtl != null ? b.cancelTtl : Duration.ofSeconds(86_400);
        this.resultExpiresSeconds = b.resultExpiresSeconds != null ? b.resultExpiresSeconds : 86_400;
        this.defaultPriority = b.defaultPriority != null ? b.defaultPriority : Priority.NORMAL;
        this.defaultTimeout = b.defaultTimeout;
        this.connectTimeout = b.connectTimeout != null ? b.connectTimeout : Duration.ofSeconds(5);
        this.tls = b.tls != null ? b.tls : TlsSettings.DEFAULT;
        this.durability = durability(b, env);
    }

    /** Opt-in durable writes: {@code SANDAI_OPERATOR_DURABLE_REPLICAS} / {@code SANDAI_OPERATOR_DURABLE_TIMEOUT}. */
    private static Durability durability(Builder b, Function<String, String> env) {
        String replicas = first(b.durableReplicas, env.apply("SANDAI_OPERATOR_DURABLE_REPLICAS"), "0");
        int n;
        try {
            n = Integer.parseInt(replicas.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("durableReplicas must be a whole number, got '" + replicas + "'");
        }
        String timeoutText = env.apply("SANDAI_OPERATOR_DURABLE_TIMEOUT");
        Duration timeout = b.durableTimeout != null ? b.durableTimeout
                : timeoutText == null || timeoutText.isBlank() ? Durability.DEFAULT_TIMEOUT
                : Durations.parse("SANDAI_OPERATOR_DURABLE_TIMEOUT", timeoutText);
        return new Durability(n, timeout);
    }

    private static String first(Object explicit, String env, String fallback) {
        if (explicit != null) {
            return String.valueOf(explicit);
        }
        return env != null && !env.isBlank() ? env.trim() : fallback;
    }

    private static int positive(String name, String value) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + n);
        }
        return n;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All defaults and environment variables. */
    public static OperatorSettings fromEnvironment() {
        return builder().build();
    }

    /** The Redis broker; null when the broker is RabbitMQ ({@link #amqpBrokerUrl()}). */
    public RedisUrl brokerUrl() {
        return brokerUrl;
    }

    /** The RabbitMQ broker of an {@code amqp://} or {@code amqps://} broker URL; null for a Redis broker. */
    public AmqpUrl amqpBrokerUrl() {
        return amqpBrokerUrl;
    }

    /** True when tasks go to RabbitMQ. */
    public boolean isAmqpBroker() {
        return amqpBrokerUrl != null;
    }

    /** The broker URL, sanitized (no password), whichever kind it is. */
    public String brokerLocation() {
        return String.valueOf(amqpBrokerUrl != null ? amqpBrokerUrl : brokerUrl);
    }

    /** The Redis result backend; null when results come back by rpc:// ({@link #isRpcBackend()}). */
    public RedisUrl resultBackendUrl() {
        return resultBackendUrl;
    }

    /**
     * True when {@code resultBackendUrl=rpc://}: results are messages to this client's RabbitMQ reply queue, as with
     * Celery's RPC backend; nothing is stored (no get by id from another client, no forget, no cancel key).
     */
    public boolean isRpcBackend() {
        return rpcBackend;
    }

    /** The result backend, sanitized (no password): {@code rpc://} or the Redis URL. */
    public String resultBackendLocation() {
        return rpcBackend ? "rpc://" : String.valueOf(resultBackendUrl);
    }

    /** Celery's spellings of the RPC backend: {@code rpc://} (anything after it is ignored, as Celery does) or {@code rpc}. */
    public static boolean isRpcUrl(String url) {
        if (url == null) {
            return false;
        }
        String u = url.trim().toLowerCase(Locale.ROOT);
        return u.equals("rpc") || u.startsWith("rpc://");
    }

    public ContentType taskSerializer() {
        return taskSerializer;
    }

    public ContentType resultSerializer() {
        return resultSerializer;
    }

    public Set<String> acceptContent() {
        return acceptContent;
    }

    public boolean autoForgetResult() {
        return autoForgetResult;
    }

    public int brokerPoolLimit() {
        return brokerPoolLimit;
    }

    public int backendPoolLimit() {
        return backendPoolLimit;
    }

    public int backendPollConcurrency() {
        return backendPollConcurrency;
    }

    public Duration poolAcquireTimeout() {
        return poolAcquireTimeout;
    }

    public SharingScope sharedTransportScope() {
        return sharedTransportScope;
    }

    public String taskName() {
        return taskName;
    }

    public String descTaskName() {
        return descTaskName;
    }

    public String cancelKeyPrefix() {
        return cancelKeyPrefix;
    }

    /**
     * Durable writes: with {@code replicas > 0} every task sent and every result written by a worker is followed by
     * {@code WAIT replicas timeout}, and fails with {@link io.camelsandai.model.ReplicasNotConfirmedException} when
     * fewer replicas confirm. Off by default, as in kombu.
     */
    public Durability durability() {
        return durability;
    }

    public Duration cancelTtl() {
        return cancelTtl;
    }

    public int resultExpiresSeconds() {
        return resultExpiresSeconds;
    }

    public Priority defaultPriority() {
        return defaultPriority;
    }

    /** Null: no deadline and no wait limit unless a call sets one. */
    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public TlsSettings tls() {
        return tls;
    }

    @Override
    public String toString() {
        return "OperatorSettings[broker=" + brokerLocation() + ", backend=" + resultBackendLocation() + ", taskSerializer="
               + taskSerializer.serializerName() + ", resultSerializer=" + resultSerializer.serializerName()
               + ", pools=" + brokerPoolLimit + "/" + backendPoolLimit + "/" + backendPollConcurrency + ", scope="
               + sharedTransportScope + "]";
    }

    public static final class Builder {
        private String brokerUrl;
        private String resultBackendUrl;
        private String taskSerializer;
        private String resultSerializer;
        private Set<String> acceptContent;
        private Boolean autoForgetResult;
        private Integer brokerPoolLimit;
        private Integer backendPoolLimit;
        private Integer backendPollConcurrency;
        private Duration poolAcquireTimeout;
        private String sharedTransportScope;
        private String taskName;
        private String descTaskName;
        private String cancelKeyPrefix;
        private Duration cancelTtl;
        private Integer durableReplicas;
        private Duration durableTimeout;
        private Integer resultExpiresSeconds;
        private Priority defaultPriority;
        private Duration defaultTimeout;
        private Duration connectTimeout;
        private TlsSettings tls;
        private String sentinelMasterName;
        private String resultBackendSentinelMasterName;
        private String sentinelPassword;
        private Boolean sentinelTls;
        private Function<String, String> env = System::getenv;

        public Builder brokerUrl(String v) {
            brokerUrl = v;
            return this;
        }

        public Builder resultBackendUrl(String v) {
            resultBackendUrl = v;
            return this;
        }

        public Builder taskSerializer(String v) {
            taskSerializer = v;
            return this;
        }

        public Builder resultSerializer(String v) {
            resultSerializer = v;
            return this;
        }

        public Builder acceptContent(Set<String> v) {
            acceptContent = v == null ? null : new LinkedHashSet<>(v);
            return this;
        }

        public Builder autoForgetResult(Boolean v) {
            autoForgetResult = v;
            return this;
        }

        public Builder brokerPoolLimit(Integer v) {
            brokerPoolLimit = v;
            return this;
        }

        public Builder backendPoolLimit(Integer v) {
            backendPoolLimit = v;
            return this;
        }

        public Builder backendPollConcurrency(Integer v) {
            backendPollConcurrency = v;
            return this;
        }

        public Builder poolAcquireTimeout(Duration v) {
            poolAcquireTimeout = v;
            return this;
        }

        /** {@code operator} (default) or {@code process}. */
        public Builder sharedTransportScope(String v) {
            sharedTransportScope = v;
            return this;
        }

        public Builder taskName(String v) {
            taskName = v;
            return this;
        }

        public Builder descTaskName(String v) {
            descTaskName = v;
            return this;
        }

        public Builder cancelKeyPrefix(String v) {
            cancelKeyPrefix = v;
            return this;
        }

        /** Replicas that must confirm each send and result write ({@code WAIT}); 0 = off, the default. */
        public Builder durableReplicas(Integer v) {
            durableReplicas = v;
            return this;
        }

        /** How long {@code WAIT} may take before the write fails as not durable; default 1 s. */
        public Builder durableTimeout(Duration v) {
            durableTimeout = v;
            return this;
        }

        public Builder cancelTtl(Duration v) {
            cancelTtl = v;
            return this;
        }

        public Builder resultExpiresSeconds(Integer v) {
            resultExpiresSeconds = v;
            return this;
        }

        public Builder defaultPriority(Priority v) {
            defaultPriority = v;
            return this;
        }

        public Builder defaultTimeout(Duration v) {
            defaultTimeout = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Builder tls(TlsSettings v) {
            tls = v;
            return this;
        }

        /**
         * Master name for {@code sentinel://} broker and backend URLs (kombu's {@code master_name} transport option);
         * required with a sentinel URL, ignored otherwise. Env: {@code SANDAI_OPERATOR_BROKER_MASTER_NAME}.
         */
        public Builder sentinelMasterName(String v) {
            sentinelMasterName = blankToNull(v); // an empty template parameter means "not set"
            return this;
        }

        /**
         * Master name of a {@code sentinel://} result backend when it differs from the broker's (Celery's
         * {@code result_backend_transport_options}). Env: {@code SANDAI_OPERATOR_BACKEND_MASTER_NAME}.
         */
        public Builder resultBackendSentinelMasterName(String v) {
            resultBackendSentinelMasterName = blankToNull(v);
            return this;
        }

        /**
         * Password of the sentinels themselves (kombu's {@code sentinel_kwargs={'password': ...}}); the master's password
         * is in the URL. Env: {@code SANDAI_OPERATOR_SENTINEL_PASSWORD}.
         */
        public Builder sentinelPassword(String v) {
            sentinelPassword = blankToNull(v);
            return this;
        }

        /**
         * TLS to the sentinels and the master they name, with {@link #tls(TlsSettings)}'s trust and key material
         * (kombu's {@code sentinel_kwargs={'ssl': True}} plus {@code broker_use_ssl}). Env:
         * {@code SANDAI_OPERATOR_SENTINEL_TLS}.
         */
        public Builder sentinelTls(Boolean v) {
            sentinelTls = v;
            return this;
        }

        /** Where environment variables are read from; {@link System#getenv(String)} unless a test says otherwise. */
        public Builder environment(Function<String, String> v) {
            env = v;
            return this;
        }

        private static String blankToNull(String v) {
            return v == null || v.isBlank() ? null : v;
        }

        public OperatorSettings build() {
            return new OperatorSettings(this, env);
        }
    }
}
