package io.camelsandai.bridge.avtomatika;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.camelsandai.artifact.ArtifactSettings;
import io.camelsandai.artifact.ArtifactStores;
import io.camelsandai.bridge.BridgeSettings;
import io.camelsandai.bridge.OperatorBinding;
import io.camelsandai.codec.Durations;

/**
 * Settings of an {@link AvtomatikaWorker}. Plain Java; build with {@link #builder()}, or start from
 * {@link Builder#fromEnvironment(Function)} which reads the worker SDK's variables ({@code ORCHESTRATOR_URL},
 * {@code ORCHESTRATORS_CONFIG}, {@code MULTI_ORCHESTRATOR_MODE}, {@code WORKER_ID}, {@code WORKER_TOKEN},
 * {@code WORKER_INDIVIDUAL_TOKEN}, {@code WORKER_ENABLE_WEBSOCKETS}, {@code WORKER_TYPE},
 * {@code MAX_CONCURRENT_TASKS}, {@code HEARTBEAT_INTERVAL}, {@code WORKER_HEARTBEAT_DEBOUNCE_DELAY}).
 * Tokens never appear in {@link #toString()}.
 *
 * <p>S3 payload convention (spec section 6): with {@link Builder#artifactStores} or {@link Builder#artifactSettings}
 * set, the worker checks {@code s3://} inputs against {@code params_metadata} (size, ETag) before calling the operator
 * and adds {@code data_metadata} ({@code uri, size, etag}) for the operator's {@code s3://} outputs; without either,
 * neither happens. The operator itself stages inputs and uploads outputs, so nothing is downloaded or uploaded
 * here, and the SDK's {@code TASK_FILES_DIR} does not apply ({@code S3_DEFAULT_BUCKET} only feeds
 * {@code capabilities.s3_config_hash}). The endpoint and credentials come from the {@link ArtifactSettings}, or from
 * the SDK's {@code S3_ENDPOINT_URL} / {@code S3_ACCESS_KEY} / {@code S3_SECRET_KEY} / {@code S3_REGION}.
 *
 * <p>TLS and mTLS: {@link Builder#tls(OrchestratorTls)}, or the SDK's {@code TLS_CA_PATH}, {@code TLS_CERT_PATH},
 * {@code TLS_KEY_PATH} (see {@link OrchestratorTls}); the HTTP calls and the command WebSocket use the same context.
 */
public final class AvtomatikaConfig {
    public static final String RXON_VERSION = "1.0b14";
    /** The orchestrator's default {@code GLOBAL_WORKER_TOKEN}. */
    public static final String DEFAULT_TOKEN = "secure-worker-token";

    /** The SDK's default bucket for offloaded payloads ({@code S3_DEFAULT_BUCKET}). */
    public static final String DEFAULT_S3_BUCKET = "avtomatika-payloads";

    /**
     * How several orchestrators are polled ({@code MULTI_ORCHESTRATOR_MODE}). Every mode registers and heartbeats
     * with all of them.
     * <ul>
     *   <li>{@code WATERFALL} (the SDK's default): each round polls them in order and takes the first task found;</li>
     *   <li>{@code FAILOVER}: polls one until it fails, then the next;</li>
     *   <li>{@code ROUND_ROBIN}: one poll each in turn, smooth weighted by {@code weight}, as the SDK does.</li>
     * </ul>
     */
    public enum Mode {
        FAILOVER, WATERFALL, ROUND_ROBIN;

        static Mode parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("MULTI_ORCHESTRATOR_MODE must be WATERFALL, FAILOVER or ROUND_ROBIN, "
                                                   + "got '" + text + "'");
            }
        }
    }

    /**
     * One orchestrator, as an entry of {@code ORCHESTRATORS_CONFIG}: {@code url}, {@code priority} (lower first,
     * default 10), {@code weight} (for ROUND_ROBIN, default 1) and an optional own {@code token} (sent and signed
     * with instead of the worker token for this orchestrator). The token never appears in {@link #toString()}.
     */
    public record Orchestrator(URI url, int weight, int priority, String token) {
        public Orchestrator {
            if (url == null || url.getHost() == null || url.getScheme() == null
                || !List.of("http", "https").contains(url.getScheme().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("orchestrator url must be an absolute http(s) URL, got " + url);
            }
            if (weight < 1) {
                throw new IllegalArgumentException("orchestrator weight must be at least 1, got " + weight);
            }
        }

        public Orchestrator(URI url, int weight) {
            this(url, weight, 10, null);
        }

        @Override
        public String toString() {
            return url + (token != null ? " (own token)" : "");
        }
    }

    private final List<Orchestrator> orchestrators;
    private final Mode mode;
    private final String workerId;
    private final String workerType;
    private final String token;
    private final String individualToken;
    private final boolean websockets;
    private final boolean useStsTokens;
    private final Duration pollTimeout;
    private final Duration requestTimeout;
    private final String rxonVersion;
    private final String cancelKeyPrefix;
    private final Map<String, AvtomatikaSkill> skills;
    private final BridgeSettings bridge;
    private final Map<String, Object> resources;
    private final Map<String, Object> installedSoftware;
    private final Map<String, Object> metadata;
    private final ArtifactStores artifactStores;
    private final ArtifactSettings artifactSettings;
    private final String s3DefaultBucket;
    private final OrchestratorTls tls;
    private final Duration heartbeatMinSpacing;

    private AvtomatikaConfig(Builder b) {
        if (b.workerId == null || !b.workerId.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("workerId (WORKER_ID) is required and may use [A-Za-z0-9_.-], got '"
                                               + b.workerId + "'");
        }
        if (b.skills.isEmpty()) {
            throw new IllegalArgumentException("at least one skill -> operator mapping is required");
        }
        b.skills.keySet().forEach(name -> {
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("skill name may use [A-Za-z0-9_.-], got '" + name + "'");
            }
        });
        this.orchestrators = b.orchestrators.isEmpty()
                ? List.of(new Orchestrator(URI.create("http://localhost:8080"), 1, 1, null)) : List.copyOf(b.orchestrators);
        this.mode = b.mode;
        this.workerId = b.workerId;
        this.workerType = b.workerType;
        this.token = b.token;
        this.individualToken = b.individualToken;
        this.websockets = b.websockets;
        this.useStsTokens = b.useStsTokens;
        this.pollTimeout = b.pollTimeout;
        this.requestTimeout = b.requestTimeout;
        this.rxonVersion = b.rxonVersion;
        this.cancelKeyPrefix = b.cancelKeyPrefix;
        Map<String, AvtomatikaSkill> skills = new LinkedHashMap<>();
        b.skills.values().forEach(skill -> skills.put(skill.name(), skill.cost() == null && b.costs.containsKey(skill.name())
                ? skill.withCost(b.costs.get(skill.name())) : skill));
        this.skills = Map.copyOf(skills);
        BridgeSettings.Builder bs = b.bridge;
        this.bridge = bs.build();
        this.resources = b.resources;
        this.installedSoftware = b.installedSoftware;
        this.metadata = b.metadata;
        this.artifactStores = b.artifactStores;
        this.artifactSettings = b.artifactSettings;
        this.s3DefaultBucket = b.s3DefaultBucket;
        this.tls = b.tls;
        this.heartbeatMinSpacing = b.heartbeatMinSpacing;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Orchestrator> orchestrators() { return orchestrators; }
    public Mode mode() { return mode; }
    public String workerId() { return workerId; }
    public String workerType() { return workerType; }
    /** The credential sent as {@code X-Worker-Token} until an STS token replaces it. */
    public String credential() { return individualToken != null ? individualToken : token; }
    /** The credential for one orchestrator: its own token from {@code ORCHESTRATORS_CONFIG}, else {@link #credential()}. */
    public String credential(Orchestrator o) { return o.token() != null ? o.token() : credential(); }
    /** The HMAC key for an orchestrator: the token it knows this worker by (never the STS access token). */
    String signingSecret(Orchestrator o) { return credential(o); }
    public boolean websockets() { return websockets; }
    public boolean useStsTokens() { return useStsTokens; }
    public Duration pollTimeout() { return pollTimeout; }
    public Duration requestTimeout() { return requestTimeout; }
    public String rxonVersion() { return rxonVersion; }
    public String cancelKeyPrefix() { return cancelKeyPrefix; }
    public Map<String, AvtomatikaSkill> skills() { return skills; }
    public BridgeSettings bridgeSettings() { return bridge; }
    public Map<String, Object> resources() { return resources; }
    public Map<String, Object> installedSoftware() { return installedSoftware; }
    public Map<String, Object> metadata() { return metadata; }
    /** Stores for the S3 payload checks, owned by the caller; null when not given. */
    public ArtifactStores artifactStores() { return artifactStores; }
    /** Settings the worker builds (and closes) its own stores from; null when not given. */
    public ArtifactSettings artifactSettings() { return artifactSettings; }
    /** Whether the S3 payload convention (input checks, {@code data_metadata}) is on. */
    public boolean s3PayloadChecks() { return artifactStores != null || artifactSettings != null; }
    /** {@code S3_DEFAULT_BUCKET}: only used for {@code capabilities.s3_config_hash}. */
    public String s3DefaultBucket() { return s3DefaultBucket; }
    /** TLS / mTLS towards the orchestrators. */
    public OrchestratorTls tls() { return tls; }
    /** Least time between two heartbeats to one orchestrator (its limit is 120 a minute). */
    public Duration heartbeatMinSpacing() { return heartbeatMinSpacing; }

    /**
     * {@code capabilities.s3_config_hash}: the first 16 hex digits of sha256("endpoint|access_key|bucket"), as the
     * SDK computes it; null unless the S3 endpoint and access key are known (the orchestrator then skips the check).
     */
    public String s3ConfigHash() {
        if (artifactSettings == null || artifactSettings.s3Endpoint() == null || artifactSettings.s3AccessKey() == null
            || s3DefaultBucket == null) {
            return null;
        }
        String basis = artifactSettings.s3Endpoint() + "|" + artifactSettings.s3AccessKey() + "|" + s3DefaultBucket;
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(basis.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "AvtomatikaConfig[workerId=" + workerId + ", type=" + workerType + ", orchestrators=" + orchestrators
               + ", mode=" + mode + ", skills=" + skills.keySet() + ", websockets=" + websockets
               + ", s3PayloadChecks=" + s3PayloadChecks() + ", tls=" + tls + ", token=***]";
    }

    public static final class Builder {
        private final List<Orchestrator> orchestrators = new ArrayList<>();
        private Mode mode = Mode.FAILOVER;
        private String workerId;
        private String workerType = "generic";
        private String token = DEFAULT_TOKEN;
        private String individualToken;
        private boolean websockets;
        private boolean useStsTokens;
        private Duration pollTimeout = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private String rxonVersion = RXON_VERSION;
        private String cancelKeyPrefix = "avtomatika:";
        private final Map<String, AvtomatikaSkill> skills = new LinkedHashMap<>();
        private final BridgeSettings.Builder bridge = BridgeSettings.builder();
        private Map<String, Object> resources;
        private Map<String, Object> installedSoftware;
        private Map<String, Object> metadata;
        private ArtifactStores artifactStores;
        private ArtifactSettings artifactSettings;
        private String s3DefaultBucket = DEFAULT_S3_BUCKET;
        private OrchestratorTls tls = OrchestratorTls.NONE;
        private Duration heartbeatMinSpacing = Duration.ofMillis(500);
        private final Map<String, Double> costs = new LinkedHashMap<>();

        /**
         * Reads the SDK's environment variables; later builder calls override them. Besides the ones named in the
         * class comment: {@code TASK_POLL_TIMEOUT} and {@code WORKER_SHUTDOWN_TIMEOUT} (seconds),
         * {@code COST_PER_SKILL} (JSON {@code {"skill": cost}}, for skills without a cost of their own),
         * {@code TLS_CA_PATH} / {@code TLS_CERT_PATH} / {@code TLS_KEY_PATH} (see {@link OrchestratorTls}), and
         * {@code S3_ENDPOINT_URL} / {@code S3_ACCESS_KEY} / {@code S3_SECRET_KEY} / {@code S3_REGION} /
         * {@code S3_DEFAULT_BUCKET}: an endpoint turns the S3 payload checks on (path-style addressing, as MinIO
         * and S3Proxy need) and, with the access key, adds {@code s3_config_hash} to the registration.
         */
        public Builder fromEnvironment(Function<String, String> env) {
            String config = env.apply("ORCHESTRATORS_CONFIG");
            if (config != null && !config.isBlank()) {
                orchestratorsJson(config);
            }
            if (orchestrators.isEmpty() && present(env.apply("ORCHESTRATOR_URL"))) {
                orchestrator(env.apply("ORCHESTRATOR_URL").trim());
            }
            if (present(env.apply("MULTI_ORCHESTRATOR_MODE"))) {
                mode(Mode.parse(env.apply("MULTI_ORCHESTRATOR_MODE")));
            }
            if (present(env.apply("WORKER_ID"))) workerId(env.apply("WORKER_ID").trim());
            if (present(env.apply("WORKER_TYPE"))) workerType(env.apply("WORKER_TYPE").trim());
            if (present(env.apply("WORKER_TOKEN"))) token(env.apply("WORKER_TOKEN").trim());
            if (present(env.apply("WORKER_INDIVIDUAL_TOKEN"))) individualToken(env.apply("WORKER_INDIVIDUAL_TOKEN").trim());
            if (present(env.apply("WORKER_ENABLE_WEBSOCKETS"))) {
                websockets(Boolean.parseBoolean(env.apply("WORKER_ENABLE_WEBSOCKETS").trim()));
            }
            if (present(env.apply("MAX_CONCURRENT_TASKS"))) {
                maxConcurrentTasks(Integer.parseInt(env.apply("MAX_CONCURRENT_TASKS").trim()));
            }
            if (present(env.apply("HEARTBEAT_INTERVAL"))) {
                heartbeatInterval(Durations.parse("HEARTBEAT_INTERVAL", env.apply("HEARTBEAT_INTERVAL")));
            }
            if (present(env.apply("WORKER_HEARTBEAT_DEBOUNCE_DELAY"))) {
                bridge.heartbeatDebounce(Durations.parse("WORKER_HEARTBEAT_DEBOUNCE_DELAY",
                        env.apply("WORKER_HEARTBEAT_DEBOUNCE_DELAY")));
            }
            if (present(env.apply("TASK_POLL_TIMEOUT"))) {
                pollTimeout(Durations.parse("TASK_POLL_TIMEOUT", env.apply("TASK_POLL_TIMEOUT")));
            }
            if (present(env.apply("WORKER_SHUTDOWN_TIMEOUT"))) {
                shutdownTimeout(Durations.parse("WORKER_SHUTDOWN_TIMEOUT", env.apply("WORKER_SHUTDOWN_TIMEOUT")));
            }
            if (present(env.apply("COST_PER_SKILL"))) {
                costsJson(env.apply("COST_PER_SKILL"));
            }
            OrchestratorTls fromEnv = OrchestratorTls.fromEnvironment(env);
            if (fromEnv.configured()) {
                tls(fromEnv);
            }
            if (present(env.apply("S3_DEFAULT_BUCKET"))) {
                s3DefaultBucket(env.apply("S3_DEFAULT_BUCKET").trim());
            }
            if (present(env.apply("S3_ENDPOINT_URL"))) {
                ArtifactSettings.Builder s3 = ArtifactSettings.builder()
                        .s3Endpoint(URI.create(env.apply("S3_ENDPOINT_URL").trim())).s3PathStyle(true);
                if (present(env.apply("S3_REGION"))) {
                    s3.s3Region(env.apply("S3_REGION").trim());
                }
                if (present(env.apply("S3_ACCESS_KEY"))) {
                    s3.s3Credentials(env.apply("S3_ACCESS_KEY").trim(),
                            env.apply("S3_SECRET_KEY") == null ? null : env.apply("S3_SECRET_KEY").trim());
                }
                artifactSettings(s3.build());
            }
            return this;
        }

        /** {@code COST_PER_SKILL}: JSON {@code {"skill": cost}}; applies to skills that have no cost of their own. */
        public Builder costsJson(String json) {
            try {
                JsonNode map = new ObjectMapper().readTree(json);
                if (!map.isObject()) {
                    throw new IllegalArgumentException("COST_PER_SKILL must be a JSON object {\"skill\": cost}");
                }
                map.fields().forEachRemaining(e -> {
                    if (!e.getValue().isNumber()) {
                        throw new IllegalArgumentException("COST_PER_SKILL." + e.getKey() + " must be a number");
                    }
                    costs.put(e.getKey(), e.getValue().asDouble());
                });
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("COST_PER_SKILL is not valid JSON: " + e.getOriginalMessage());
            }
            return this;
        }

        private static boolean present(String v) {
            return v != null && !v.isBlank();
        }

        /**
         * {@code [{"url": "...", "priority": 1, "weight": 1, "token": "..."}, ...]}: priority defaults to 10 and
         * weight to 1; the list is ordered by (priority, url), as the SDK orders it.
         */
        public Builder orchestratorsJson(String json) {
            List<Orchestrator> parsed = new ArrayList<>();
            try {
                JsonNode list = new ObjectMapper().readTree(json);
                if (list == null || !list.isArray()) {
                    throw new IllegalArgumentException("ORCHESTRATORS_CONFIG must be a JSON list of {\"url\": ...}");
                }
                for (JsonNode item : list) {
                    if (!item.path("url").isTextual() || item.path("url").asText().isBlank()) {
                        throw new IllegalArgumentException("ORCHESTRATORS_CONFIG: every entry needs a \"url\"");
                    }
                    String token = item.path("token").isTextual() ? item.path("token").asText() : null;
                    parsed.add(new Orchestrator(URI.create(trimSlash(item.path("url").asText().trim())),
                            item.path("weight").asInt(1), item.path("priority").asInt(10), token));
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("ORCHESTRATORS_CONFIG is not valid JSON: " + e.getOriginalMessage());
            }
            parsed.sort(java.util.Comparator.comparingInt(Orchestrator::priority).thenComparing(o -> o.url().toString()));
            orchestrators.addAll(parsed);
            return this;
        }

        /** Adds an orchestrator after the ones already given (priority follows the order of the calls). */
        public Builder orchestrator(String url) {
            orchestrators.add(new Orchestrator(URI.create(trimSlash(url.trim())), 1, orchestrators.size() + 1, null));
            return this;
        }

        private static String trimSlash(String url) {
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }

        public Builder clearOrchestrators() { orchestrators.clear(); return this; }
        public Builder mode(Mode v) { mode = v; return this; }
        public Builder workerId(String v) { workerId = v; return this; }
        public Builder workerType(String v) { workerType = v; return this; }
        public Builder token(String v) { token = v; return this; }
        public Builder individualToken(String v) { individualToken = v; return this; }
        public Builder websockets(boolean v) { websockets = v; return this; }
        /** Exchange the token for short-lived STS tokens ({@code /_worker/auth/token}) and refresh them. */
        public Builder useStsTokens(boolean v) { useStsTokens = v; return this; }
        /** How long the orchestrator holds a poll (its {@code WORKER_POLL_TIMEOUT_SECONDS}); read timeout adds 5 s. */
        public Builder pollTimeout(Duration v) { pollTimeout = v; return this; }
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
        public Builder rxonVersion(String v) { rxonVersion = v; return this; }
        /** Sandai cancel key of a task = prefix + task id. */
        public Builder cancelKeyPrefix(String v) { cancelKeyPrefix = v; return this; }
        public Builder skill(AvtomatikaSkill skill) { skills.put(skill.name(), skill); return this; }
        public Builder maxConcurrentTasks(int v) { bridge.maxConcurrentTasks(v); return this; }
        /** The SDK's {@code task_type_limits}: a limit per skill {@code limit-group}. */
        public Builder taskTypeLimit(String type, int limit) { bridge.groupLimit(type, limit); return this; }
        public Builder heartbeatInterval(Duration v) { bridge.heartbeatInterval(v); return this; }
        public Builder shutdownTimeout(Duration v) { bridge.shutdownTimeout(v); return this; }
        /** Backoffs, report senders: the shared bridge settings. */
        public BridgeSettings.Builder bridge() { return bridge; }
        public Builder resources(Map<String, Object> v) { resources = v; return this; }
        public Builder installedSoftware(Map<String, Object> v) { installedSoftware = v; return this; }
        public Builder metadata(Map<String, Object> v) { metadata = v; return this; }
        /**
         * Turns the S3 payload convention on with these stores (kept open by the worker: the caller closes them).
         * Takes precedence over {@link #artifactSettings}.
         */
        public Builder artifactStores(ArtifactStores v) { artifactStores = v; return this; }
        /** Turns the S3 payload convention on with stores built from these settings (closed when the worker stops). */
        public Builder artifactSettings(ArtifactSettings v) { artifactSettings = v; return this; }
        /** {@code S3_DEFAULT_BUCKET} (default {@value #DEFAULT_S3_BUCKET}), part of {@code s3_config_hash}. */
        public Builder s3DefaultBucket(String v) { s3DefaultBucket = v; return this; }
        /** TLS / mTLS towards the orchestrators (default: the JVM's trust, no client certificate). */
        public Builder tls(OrchestratorTls v) { tls = v == null ? OrchestratorTls.NONE : v; return this; }
        /** Least time between two heartbeats to one orchestrator (default 500 ms: its limit is 120 a minute). */
        public Builder heartbeatMinSpacing(Duration v) { heartbeatMinSpacing = v; return this; }

        /**
         * Skills from properties ({@code skills.<name>.operator/version/priority/timeout/limit-group/input-slots},
         * plus {@code skill-version}, {@code skill-type}, {@code description}, {@code cost}, {@code hot}).
         */
        public Builder skillsFromProperties(Map<String, ?> properties, String prefix) {
            OperatorBinding.fromProperties(properties, prefix).values()
                    .forEach(b -> skill(AvtomatikaSkill.fromBinding(b)));
            return this;
        }

        public AvtomatikaConfig build() {
            return new AvtomatikaConfig(this);
        }
    }
}
