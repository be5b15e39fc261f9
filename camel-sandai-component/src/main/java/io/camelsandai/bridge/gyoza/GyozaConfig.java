package io.camelsandai.bridge.gyoza;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelsandai.bridge.BridgeSettings;
import io.camelsandai.bridge.OperatorBinding;

/**
 * Settings of a {@link GyozaWorker}. Plain Java; build with {@link #builder()}. The API key never appears in
 * {@link #toString()}.
 *
 * <p>Op mapping: each {@link OperatorBinding} serves the claimed ops whose definition name (and version, when the
 * binding's {@code definition-version} attribute is set) or image matches. Attributes: {@code definition} (default:
 * the binding key), {@code definition-version}, {@code image}.
 */
public final class GyozaConfig {
    private final URI baseUrl;
    private final String apiKey;
    private final String workerId;
    private final Map<String, Object> resources;
    private final List<String> tags;
    private final Duration claimInterval;
    private final Duration requestTimeout;
    private final String cancelKeyPrefix;
    private final List<OperatorBinding> ops;
    private final BridgeSettings bridge;

    private GyozaConfig(Builder b) {
        if (b.baseUrl == null) {
            throw new IllegalArgumentException("baseUrl of the gyoza server is required");
        }
        if (b.workerId == null || b.workerId.isBlank()) {
            throw new IllegalArgumentException("workerId is required");
        }
        if (b.ops.isEmpty()) {
            throw new IllegalArgumentException("at least one op -> operator mapping is required");
        }
        for (Duration d : new Duration[] {b.claimInterval, b.requestTimeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("claimInterval and requestTimeout must be positive");
            }
        }
        this.baseUrl = b.baseUrl;
        this.apiKey = b.apiKey;
        this.workerId = b.workerId;
        this.resources = b.resources != null ? GyozaResources.normalize(b.resources) : GyozaResources.defaults();
        this.tags = List.copyOf(b.tags);
        this.claimInterval = b.claimInterval;
        this.requestTimeout = b.requestTimeout;
        this.cancelKeyPrefix = b.cancelKeyPrefix;
        this.ops = List.copyOf(b.ops);
        this.bridge = b.bridge.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public URI baseUrl() { return baseUrl; }
    String apiKey() { return apiKey; }
    public boolean hasApiKey() { return apiKey != null && !apiKey.isEmpty(); }
    public String workerId() { return workerId; }
    public Map<String, Object> resources() { return resources; }
    public List<String> tags() { return tags; }
    public Duration claimInterval() { return claimInterval; }
    public Duration requestTimeout() { return requestTimeout; }
    public String cancelKeyPrefix() { return cancelKeyPrefix; }
    public List<OperatorBinding> ops() { return ops; }
    public BridgeSettings bridgeSettings() { return bridge; }

    @Override
    public String toString() {
        return "GyozaConfig[" + baseUrl + ", workerId=" + workerId + ", ops=" + ops.size() + ", apiKey="
               + (hasApiKey() ? "***" : "none") + "]";
    }

    public static final class Builder {
        private URI baseUrl;
        private String apiKey;
        private String workerId;
        private Map<String, ?> resources;
        private final List<String> tags = new ArrayList<>();
        private Duration claimInterval = Duration.ofSeconds(1);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private String cancelKeyPrefix = "gyoza:";
        private final List<OperatorBinding> ops = new ArrayList<>();
        // Heartbeats also carry the check for runs cancelled on the server, so they come more often than the
        // bridges' default.
        private final BridgeSettings.Builder bridge = BridgeSettings.builder().heartbeatInterval(Duration.ofSeconds(5));

        public Builder baseUrl(String v) { baseUrl = URI.create(v.endsWith("/") ? v.substring(0, v.length() - 1) : v); return this; }
        /** Sent as {@code X-API-Key} on every request when set. */
        public Builder apiKey(String v) { apiKey = v; return this; }
        public Builder workerId(String v) { workerId = v; return this; }
        /**
         * {@code {"cpu_cores", "ram_mb", "gpus": [{"id", "vram_mb", "tags"}]}}, whole numbers (MiB for memory);
         * missing members default to this JVM's view (processors, max heap, no GPU). Checked at {@link #build()}.
         */
        public Builder resources(Map<String, ?> v) { resources = v == null ? null : new LinkedHashMap<>(v); return this; }
        /** The same as a JSON object, e.g. {@code {"cpu_cores": 8, "ram_mb": 32768, "gpus": []}}. */
        public Builder resourcesJson(String json) { resources = new LinkedHashMap<>(GyozaResources.fromJson(json)); return this; }
        public Builder tag(String v) { tags.add(v); return this; }
        /** Wait between claims that returned nothing (claims are not long polls). */
        public Builder claimInterval(Duration v) { claimInterval = v; return this; }
        /** Per-request timeout (default 30 s, as the gyoza client's). */
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
        public Builder cancelKeyPrefix(String v) { cancelKeyPrefix = v; return this; }
        public Builder op(OperatorBinding v) { ops.add(v); return this; }
        /** {@code ops.<key>.operator/version/priority/timeout/limit-group/input-slots/definition/definition-version/image}. */
        public Builder opsFromProperties(Map<String, ?> properties, String prefix) {
            ops.addAll(OperatorBinding.fromProperties(properties, prefix).values());
            return this;
        }
        public Builder maxConcurrentTasks(int v) { bridge.maxConcurrentTasks(v); return this; }
        public Builder heartbeatInterval(Duration v) { bridge.heartbeatInterval(v); return this; }
        public Builder shutdownTimeout(Duration v) { bridge.shutdownTimeout(v); return this; }
        public BridgeSettings.Builder bridge() { return bridge; }

        public GyozaConfig build() {
            return new GyozaConfig(this);
        }
    }
}
