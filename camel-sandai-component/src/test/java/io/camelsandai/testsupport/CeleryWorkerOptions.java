package io.camelsandai.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * How to start the stock Celery worker {@code sandai_test_worker.py} ({@link PythonCelery#startWorker}).
 *
 * <p>Everything is handed to the Python module as environment variables:
 * <table>
 * <caption>environment of the worker</caption>
 * <tr><td>SANDAI_TEST_BROKER_URL / SANDAI_TEST_RESULT_BACKEND</td><td>{@link Builder#broker}, {@link Builder#backend}</td></tr>
 * <tr><td>SANDAI_TEST_QUEUES</td><td>comma list, in consumption order ({@link Builder#queues}; default the four operator queues)</td></tr>
 * <tr><td>SANDAI_TEST_OPERATOR_NAME / _VERSION</td><td>{@link Builder#operator}, also returned by {@code desc}</td></tr>
 * <tr><td>SANDAI_TEST_TASK_SERIALIZER / _RESULT_SERIALIZER</td><td>msgpack / json by default; both are always accepted</td></tr>
 * <tr><td>SANDAI_TEST_ACKS_LATE</td><td>task_acks_late</td></tr>
 * <tr><td>SANDAI_TEST_VISIBILITY_TIMEOUT</td><td>seconds, broker transport option</td></tr>
 * <tr><td>SANDAI_TEST_PREFETCH_MULTIPLIER</td><td>worker_prefetch_multiplier</td></tr>
 * <tr><td>SANDAI_TEST_SSL_CA_CERTS</td><td>CA PEM for rediss:// broker/backend</td></tr>
 * <tr><td>SANDAI_TEST_MAX_CONCURRENCY</td><td>{@code max_concurrency} in {@code desc} (= concurrency)</td></tr>
 * <tr><td>SANDAI_TEST_READY_FILE</td><td>set by the harness: written on {@code worker_ready}</td></tr>
 * </table>
 * plus anything given with {@link Builder#env} (e.g. SANDAI_TEST_CANCEL_PREFIX, SANDAI_TEST_PROCESS_TASK).
 */
public final class CeleryWorkerOptions {

    /** Celery execution pools ({@code --pool}). */
    public enum Pool {
        SOLO, THREADS, PREFORK;

        String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Sandai priorities in strict consumption order. */
    public static final List<String> PRIORITIES = List.of("high", "normal", "low", "very_low");

    private final String brokerUrl;
    private final String backendUrl;
    private final String operatorName;
    private final String operatorVersion;
    private final List<String> queues;
    private final Pool pool;
    private final int concurrency;
    private final String taskSerializer;
    private final String resultSerializer;
    private final boolean acksLate;
    private final Duration visibilityTimeout;
    private final int prefetchMultiplier;
    private final Path caCerts;
    private final String logLevel;
    private final String nodeName;
    private final Duration readyTimeout;
    private final Duration stopTimeout;
    private final Map<String, String> extraEnv;

    private CeleryWorkerOptions(Builder b) {
        this.brokerUrl = Objects.requireNonNull(b.brokerUrl, "broker URL is required");
        this.backendUrl = b.backendUrl != null ? b.backendUrl : b.brokerUrl;
        this.operatorName = b.operatorName;
        this.operatorVersion = b.operatorVersion;
        this.queues = b.queues != null ? List.copyOf(b.queues) : operatorQueues(b.operatorName, b.operatorVersion);
        this.pool = b.pool;
        this.concurrency = b.concurrency;
        this.taskSerializer = b.taskSerializer;
        this.resultSerializer = b.resultSerializer;
        this.acksLate = b.acksLate;
        this.visibilityTimeout = b.visibilityTimeout;
        this.prefetchMultiplier = b.prefetchMultiplier;
        this.caCerts = b.caCerts;
        this.logLevel = b.logLevel;
        // Unique per worker: two workers with the same node name confuse Celery's remote control.
        this.nodeName = (b.nodeName != null ? b.nodeName : "sandai-test-" + UUID.randomUUID().toString().substring(0, 8))
                + "@%h";
        this.readyTimeout = b.readyTimeout;
        this.stopTimeout = b.stopTimeout;
        this.extraEnv = Map.copyOf(b.extraEnv);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code high.<name>.<version>}, {@code normal...}, {@code low...}, {@code very_low...}. */
    public static List<String> operatorQueues(String name, String version) {
        return PRIORITIES.stream().map(p -> p + "." + name + "." + version).toList();
    }

    /** The queue of one priority, e.g. {@code queue("high", "video-clipper", "v1")}. */
    public static String queue(String priority, String name, String version) {
        return priority + "." + name + "." + version;
    }

    List<String> command(String python) {
        List<String> cmd = new ArrayList<>(List.of(python, "-m", "celery", "-A", "sandai_test_worker", "worker",
                "--queues", String.join(",", queues),
                "--pool", pool.cliName(),
                "--concurrency", String.valueOf(concurrency),
                "--hostname", nodeName,
                "--loglevel", logLevel,
                // Gossip/mingle/heartbeat only talk to other workers; mingle alone costs a second at startup.
                "--without-gossip", "--without-mingle", "--without-heartbeat"));
        return cmd;
    }

    Map<String, String> environment(Path readyFile) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SANDAI_TEST_BROKER_URL", brokerUrl);
        env.put("SANDAI_TEST_RESULT_BACKEND", backendUrl);
        env.put("SANDAI_TEST_QUEUES", String.join(",", queues));
        env.put("SANDAI_TEST_OPERATOR_NAME", operatorName);
        env.put("SANDAI_TEST_OPERATOR_VERSION", operatorVersion);
        env.put("SANDAI_TEST_TASK_SERIALIZER", taskSerializer);
        env.put("SANDAI_TEST_RESULT_SERIALIZER", resultSerializer);
        env.put("SANDAI_TEST_ACKS_LATE", String.valueOf(acksLate));
        env.put("SANDAI_TEST_VISIBILITY_TIMEOUT", String.valueOf(visibilityTimeout.toMillis() / 1000.0));
        env.put("SANDAI_TEST_PREFETCH_MULTIPLIER", String.valueOf(prefetchMultiplier));
        env.put("SANDAI_TEST_MAX_CONCURRENCY", String.valueOf(concurrency));
        if (caCerts != null) {
            env.put("SANDAI_TEST_SSL_CA_CERTS", caCerts.toString());
        }
        env.put("SANDAI_TEST_READY_FILE", readyFile.toString());
        env.putAll(extraEnv);
        return env;
    }

    public String brokerUrl() {
        return brokerUrl;
    }

    public String backendUrl() {
        return backendUrl;
    }

    public String operatorName() {
        return operatorName;
    }

    public String operatorVersion() {
        return operatorVersion;
    }

    public List<String> queues() {
        return queues;
    }

    public Pool pool() {
        return pool;
    }

    public int concurrency() {
        return concurrency;
    }

    public String taskSerializer() {
        return taskSerializer;
    }

    public String resultSerializer() {
        return resultSerializer;
    }

    public boolean acksLate() {
        return acksLate;
    }

    public Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    public int prefetchMultiplier() {
        return prefetchMultiplier;
    }

    /** The {@code --hostname} argument, e.g. {@code sandai-test-1a2b3c4d@%h}. */
    public String nodeName() {
        return nodeName;
    }

    public Duration readyTimeout() {
        return readyTimeout;
    }

    public Duration stopTimeout() {
        return stopTimeout;
    }

    /** Defaults: operator video-clipper v1 (its four queues), solo pool, concurrency 1, msgpack tasks, json
     *  results, acks_late true (the Sandai operator default), visibility timeout 3600 s, prefetch multiplier 4
     *  (Celery's), log level INFO, ready within 60 s, clean stop within 30 s. */
    public static final class Builder {
        private String brokerUrl;
        private String backendUrl;
        private String operatorName = "video-clipper";
        private String operatorVersion = "v1";
        private List<String> queues;
        private Pool pool = Pool.SOLO;
        private int concurrency = 1;
        private String taskSerializer = "msgpack";
        private String resultSerializer = "json";
        private boolean acksLate = true;
        private Duration visibilityTimeout = Duration.ofHours(1);
        private int prefetchMultiplier = 4;
        private Path caCerts;
        private String logLevel = "INFO";
        private String nodeName;
        private Duration readyTimeout = Duration.ofSeconds(60);
        private Duration stopTimeout = Duration.ofSeconds(30);
        private final Map<String, String> extraEnv = new LinkedHashMap<>();

        private Builder() {
        }

        /** Broker and backend on {@code redis.url(db)}, with the CA certificate when it is a TLS server. */
        public Builder redis(RedisServerExtension redis, int db) {
            this.brokerUrl = redis.url(db);
            this.backendUrl = redis.url(db);
            this.caCerts = redis.tls().map(TlsMaterial::caCertPem).orElse(null);
            return this;
        }

        public Builder redis(RedisServerExtension redis) {
            return redis(redis, 0);
        }

        public Builder broker(String url) {
            this.brokerUrl = url;
            return this;
        }

        /** Result backend URL; default: the broker URL. */
        public Builder backend(String url) {
            this.backendUrl = url;
            return this;
        }

        /** Operator identity; the queues default to its four priority queues. */
        public Builder operator(String name, String version) {
            this.operatorName = name;
            this.operatorVersion = version;
            return this;
        }

        /** Explicit queues, consumed in this order (overrides the operator queues). */
        public Builder queues(String... queues) {
            this.queues = List.of(queues);
            return this;
        }

        public Builder queues(List<String> queues) {
            this.queues = List.copyOf(queues);
            return this;
        }

        public Builder pool(Pool pool) {
            this.pool = Objects.requireNonNull(pool);
            return this;
        }

        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** {@code msgpack} or {@code json}: what the worker itself would send (it accepts both). */
        public Builder taskSerializer(String serializer) {
            this.taskSerializer = serializer;
            return this;
        }

        /** {@code json} or {@code msgpack}: how results are written to the backend. */
        public Builder resultSerializer(String serializer) {
            this.resultSerializer = serializer;
            return this;
        }

        public Builder acksLate(boolean acksLate) {
            this.acksLate = acksLate;
            return this;
        }

        public Builder visibilityTimeout(Duration timeout) {
            this.visibilityTimeout = timeout;
            return this;
        }

        /**
         * Celery's {@code worker_prefetch_multiplier}. Beware: with 1 (and acks_late) kombu 5.2 only
         * issues the next BRPOP when its event loop wakes up for a timer, which can leave ~10 s gaps
         * between tasks on an otherwise idle worker; keep the default unless a test needs exactly 1.
         */
        public Builder prefetchMultiplier(int multiplier) {
            this.prefetchMultiplier = multiplier;
            return this;
        }

        /** CA PEM for rediss:// URLs (set by {@link #redis} automatically). */
        public Builder caCerts(Path caPem) {
            this.caCerts = caPem;
            return this;
        }

        /** Celery log level: DEBUG, INFO, WARNING... */
        public Builder logLevel(String level) {
            this.logLevel = level;
            return this;
        }

        /** Node name prefix (before {@code @%h}); default {@code sandai-test-<random>}. */
        public Builder nodeName(String name) {
            this.nodeName = name;
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /** How long {@link CeleryWorker#close()} waits for the warm shutdown before killing. */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /** Any extra environment variable for the worker (e.g. {@code SANDAI_TEST_CANCEL_PREFIX}). */
        public Builder env(String name, String value) {
            this.extraEnv.put(name, value);
            return this;
        }

        public CeleryWorkerOptions build() {
            return new CeleryWorkerOptions(this);
        }
    }
}
