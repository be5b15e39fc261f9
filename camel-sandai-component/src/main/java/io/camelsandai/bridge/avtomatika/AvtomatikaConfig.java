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
 * here, and the SDK's {@code TASK_FILES_DIR} / {@code S3_DEFAULT_BUCKET} (which only govern those transfers) do not
 * apply. The spec names no environment variables for the S3 endpoint or credentials: give them in the
 * {@link ArtifactSettings} (or let the AWS SDK's default chain find them).
 */
public final class AvtomatikaConfig {
    public static final String RXON_VERSION = "1.0b14";
    /** The orchestrator's default {@code GLOBAL_WORKER_TOKEN}. */
    public static final String DEFAULT_TOKEN = "secure-worker-token";

    /** How several orchestrators are used. */
    public enum Mode { FAILOVER, ROUND_ROBIN }

    /** One orchestrator of {@code ORCHESTRATORS_CONFIG}. */
    public record Orchestrator(URI url, int weight) {
        public Orchestrator {
            if (url == null || url.getHost() == null) {
                throw new IllegalArgumentException("orchestrator url must be absolute, got " + url);
            }
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
                ? List.of(new Orchestrator(URI.create("http://localhost:8080"), 100)) : List.copyOf(b.orchestrators);
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
        this.skills = Map.copyOf(b.skills);
        BridgeSettings.Builder bs = b.bridge;
        this.bridge = bs.build();
        this.resources = b.resources;
        this.installedSoftware = b.installedSoftware;
        this.metadata = b.metadata;
        this.artifactStores = b.artifactStores;
        this.artifactSettings = b.artifactSettings;
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
    /** The HMAC key: the individual token, else the common one (never the STS access token). */
    String signingSecret() { return credential(); }
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

    @Override
    public String toString() {
        return "AvtomatikaConfig[workerId=" + workerId + ", type=" + workerType + ", orchestrators=" + orchestrators
               + ", mode=" + mode + ", skills=" + skills.keySet() + ", websockets=" + websockets
               + ", s3PayloadChecks=" + s3PayloadChecks() + ", token=***]";
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

        /** Reads the SDK's environment variables; later builder calls override them. */
        public Builder fromEnvironment(Function<String, String> env) {
            String config = env.apply("ORCHESTRATORS_CONFIG");
            if (config != null && !config.isBlank()) {
                orchestratorsJson(config);
            }
            if (orchestrators.isEmpty() && present(env.apply("ORCHESTRATOR_URL"))) {
                orchestrator(env.apply("ORCHESTRATOR_URL").trim());
            }
            if (present(env.apply("MULTI_ORCHESTRATOR_MODE"))) {
                mode(Mode.valueOf(env.apply("MULTI_ORCHESTRATOR_MODE").trim().toUpperCase(Locale.ROOT)));
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
                heartbeatInterval(OperatorBinding.parseDuration("HEARTBEAT_INTERVAL", env.apply("HEARTBEAT_INTERVAL")));
            }
            if (present(env.apply("WORKER_HEARTBEAT_DEBOUNCE_DELAY"))) {
                bridge.heartbeatDebounce(OperatorBinding.parseDuration("WORKER_HEARTBEAT_DEBOUNCE_DELAY",
                        env.apply("WORKER_HEARTBEAT_DEBOUNCE_DELAY")));
            }
            return this;
        }

        private static boolean present(String v) {
            return v != null && !v.isBlank();
        }

        /** {@code [{"url": "...", "weight": 100}, ...]}; the weight is kept but, as in the SDK, not used for order. */
        public Builder orchestratorsJson(String json) {
            try {
                JsonNode list = new ObjectMapper().readTree(json);
                if (!list.isArray()) {
                    throw new IllegalArgumentException("ORCHESTRATORS_CONFIG must be a JSON list");
                }
                for (JsonNode item : list) {
                    orchestrators.add(new Orchestrator(URI.create(item.path("url").asText()), item.path("weight").asInt(100)));
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("ORCHESTRATORS_CONFIG is not valid JSON: " + e.getOriginalMessage());
            }
            return this;
        }

        public Builder orchestrator(String url) {
            orchestrators.add(new Orchestrator(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url), 100));
            return this;
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
