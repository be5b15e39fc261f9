package io.camelsandai.bridge.avtomatika;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelsandai.artifact.ArtifactStores;
import io.camelsandai.bridge.BridgeProtocol;
import io.camelsandai.bridge.CallOutcome;
import io.camelsandai.bridge.Delivery;
import io.camelsandai.bridge.OperatorCall;
import io.camelsandai.bridge.ProgressUpdate;
import io.camelsandai.bridge.Report;
import io.camelsandai.bridge.RequestMapping;
import io.camelsandai.bridge.RetryLaterException;
import io.camelsandai.bridge.WorkerControl;
import io.camelsandai.bridge.WorkerSnapshot;
import io.camelsandai.codec.HostName;
import io.camelsandai.model.OperatorRequest;

/** The RXON worker protocol (register, heartbeat, long poll, result, events) for a {@link io.camelsandai.bridge.BridgeWorker}. */
final class AvtomatikaProtocol implements BridgeProtocol<AvtomatikaTask> {
    private static final Logger LOG = LoggerFactory.getLogger(AvtomatikaProtocol.class);

    private final AvtomatikaConfig config;
    private final List<RxonClient> clients = new ArrayList<>();
    private final AtomicInteger current = new AtomicInteger();
    private final String skillsHash;
    private final HttpClient http;
    private volatile WorkerControl control;
    private final List<CommandChannel> channels = new ArrayList<>();
    /** The S3 payload convention, or null when the config gives no artifact stores. */
    private final S3PayloadConvention payloads;
    /** Stores built here from the config's settings (closed with the protocol); null when the caller owns them. */
    private final ArtifactStores ownStores;

    AvtomatikaProtocol(AvtomatikaConfig config) {
        this.config = config;
        this.http = httpClient(config.tls().sslContext(), Duration.ofSeconds(5));
        config.orchestrators().forEach(o -> clients.add(new RxonClient(o, config, http)));
        this.skillsHash = computeSkillsHash();
        this.ownStores = config.artifactStores() == null && config.artifactSettings() != null
                ? ArtifactStores.standard(config.artifactSettings()) : null;
        ArtifactStores stores = config.artifactStores() != null ? config.artifactStores() : ownStores;
        this.payloads = stores == null ? null : new S3PayloadConvention(stores);
    }

    /** HTTP/1.1 (what aiohttp serves), with the configured TLS context when there is one. */
    static HttpClient httpClient(javax.net.ssl.SSLContext ssl, Duration connectTimeout) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        return b.build();
    }

    @Override
    public void bind(WorkerControl control) {
        this.control = control;
    }

    // ---- registration and heartbeat ---------------------------------------------------------------------------

    @Override
    public void open() throws Exception {
        IOException last = null;
        int ok = 0;
        for (RxonClient client : clients) {
            try {
                register(client);
                ok++;
            } catch (IOException e) {
                last = e;
                LOG.warn("registration with {} failed: {}", client.base(), e.getMessage());
            }
        }
        if (ok == 0) {
            throw last != null ? last : new IOException("no orchestrator configured");
        }
        if (config.websockets()) {
            clients.forEach(c -> channels.add(new CommandChannel(c, config, http, this::onCommand)));
            channels.forEach(CommandChannel::start);
        }
    }

    private void register(RxonClient client) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("worker_id", config.workerId());
        body.put("worker_type", config.workerType());
        body.put("supported_skills", supportedSkills());
        List<String> all = new ArrayList<>(config.skills().keySet());
        body.put("available_skills", all);
        body.put("hot_skills", hotSkills(all));
        body.put("resources", config.resources() != null ? config.resources() : defaultResources());
        body.put("installed_software", config.installedSoftware());
        body.put("capabilities", capabilities());
        body.put("skills_hash", skillsHash);
        body.put("metadata", config.metadata() != null ? config.metadata() : Map.of());
        RxonClient.Response r = client.send("POST", "/_worker/workers/register", body, RxonClient.Signing.MESSAGE,
                config.requestTimeout());
        if (!r.ok()) {
            throw new IOException("register at " + client.base() + ": HTTP " + r.status() + " " + r.error());
        }
        if (r.body().hasNonNull("warning")) {
            LOG.warn("orchestrator {}: {}", client.base(), r.body().get("warning").asText());
        }
        client.adoptToken(r.body());
        if (config.useStsTokens() && !r.body().hasNonNull("access_token")) {
            client.obtainToken();
        }
        client.registered = true;
        LOG.info("registered worker {} with {} ({} skills)", config.workerId(), client.base(), config.skills().size());
    }

    private List<Object> supportedSkills() {
        List<Object> skills = new ArrayList<>();
        config.skills().values().forEach(s -> skills.add(s.toWire()));
        return skills;
    }

    private Map<String, Object> capabilities() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("hostname", HostName.get());
        Map<String, Object> costs = new LinkedHashMap<>();
        config.skills().values().forEach(s -> {
            if (s.cost() != null) {
                costs.put(s.name(), s.cost());
            }
        });
        c.put("cost_per_skill", costs);
        c.put("s3_config_hash", config.s3ConfigHash()); // null (left out) unless the S3 endpoint and key are known
        c.put("extra", Map.of("websockets", config.websockets()));
        return c;
    }

    private static Map<String, Object> defaultResources() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("cpu_cores", Runtime.getRuntime().availableProcessors());
        return Map.of("properties", props);
    }


    private String computeSkillsHash() {
        Map<String, Object> basis = new LinkedHashMap<>();
        basis.put("skills", supportedSkills());
        basis.put("costs", capabilities().get("cost_per_skill"));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    RxonSigner.canonicalBytes(RxonSigner.normalize(basis)));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Skills that can take one more task now. */
    private List<String> availableSkills(WorkerSnapshot snapshot) {
        List<String> out = new ArrayList<>();
        config.skills().values().forEach(s -> {
            if (snapshot.hasCapacityFor(s.binding().limitGroup())) {
                out.add(s.name());
            }
        });
        return out;
    }

    private List<String> hotSkills(List<String> available) {
        List<String> out = new ArrayList<>();
        available.forEach(name -> {
            AvtomatikaSkill s = config.skills().get(name);
            if (s != null && s.hot()) {
                out.add(name);
            }
        });
        return out;
    }

    @Override
    public void heartbeat(WorkerSnapshot snapshot) throws Exception {
        heartbeat(snapshot, snapshot.draining() ? "draining" : null);
    }

    /** One at a time: the interval, the load-change trigger and stop may all want one. */
    private synchronized void heartbeat(WorkerSnapshot snapshot, String forcedStatus) throws Exception {
        Exception last = null;
        for (RxonClient client : clients) {
            try {
                if (!client.registered) {
                    if (forcedStatus != null) {
                        continue;
                    }
                    register(client);
                }
                if (forcedStatus == null) {
                    client.awaitHeartbeatSlot(config.heartbeatMinSpacing());
                }
                heartbeatOne(client, snapshot, forcedStatus);
            } catch (IOException e) {
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
    }

    private void heartbeatOne(RxonClient client, WorkerSnapshot snapshot, String forcedStatus)
            throws IOException, InterruptedException {
        List<String> available = availableSkills(snapshot);
        String status = forcedStatus != null ? forcedStatus : available.isEmpty() ? "busy" : "idle";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("worker_id", config.workerId());
        body.put("status", status);
        body.put("usage", usage());
        body.put("current_tasks", snapshot.runningTaskIds());
        body.put("available_skills", available);
        body.put("hot_skills", hotSkills(available));
        body.put("skills_hash", skillsHash);
        RxonClient.Response r = client.send("PATCH", "/_worker/workers/" + config.workerId(), body,
                RxonClient.Signing.MESSAGE, config.requestTimeout());
        if (r.status() == 404 || (r.ok() && r.body().isNull()) || r.status() == 401
            || r.error().toLowerCase(java.util.Locale.ROOT).contains("unauthorized")) {
            LOG.info("orchestrator {} does not know worker {} (HTTP {}); registering again", client.base(),
                    config.workerId(), r.status());
            client.registered = false;
            if (forcedStatus == null) {
                register(client);
            }
            return;
        }
        if (!r.ok()) {
            throw new IOException("heartbeat to " + client.base() + ": HTTP " + r.status() + " " + r.error());
        }
        boolean resync = r.body().path("require_full_sync").asBoolean(false);
        JsonNode cancels = r.body().path("cancel_task_ids");
        if (cancels.isArray()) {
            for (JsonNode id : cancels) {
                cancelTask(id.asText(), "heartbeat answer");
            }
        }
        if (resync && forcedStatus == null) {
            // The orchestrator lost our skills (its hash matches, its list is empty) and dispatches nothing here
            // until it has them again. A heartbeat cannot restore them: with an unchanged skills_hash 1.0b27 drops
            // the heartbeat's supported_skills. Only a registration stores them, so register again at once.
            LOG.info("orchestrator {} asked for a full skills sync; registering again", client.base());
            register(client);
        }
    }

    private static Map<String, Object> usage() {
        Map<String, Object> usage = new LinkedHashMap<>();
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        double load = os.getSystemLoadAverage();
        if (load >= 0) {
            double percent = Math.min(100, load * 100.0 / Math.max(1, os.getAvailableProcessors()));
            usage.put("cpu_load_percent", Math.round(percent * 10) / 10.0);
        }
        Runtime rt = Runtime.getRuntime();
        usage.put("ram_used_gb", Math.round((rt.totalMemory() - rt.freeMemory()) / 1e8) / 10.0);
        return usage;
    }

    private void onCommand(JsonNode command) {
        if ("cancel_task".equals(command.path("command").asText())) {
            cancelTask(command.path("task_id").asText(), "WebSocket command");
        } else {
            LOG.debug("ignoring orchestrator command {}", command.path("command").asText());
        }
    }

    private void cancelTask(String taskId, String via) {
        WorkerControl c = control;
        boolean found = c != null && c.cancel(taskId);
        LOG.info("cancel of task {} by {}: {}", taskId, via, found ? "cancel key set" : "not running here");
    }

    // ---- polling ----------------------------------------------------------------------------------------------

    @Override
    public List<AvtomatikaTask> fetch(WorkerSnapshot snapshot) throws Exception {
        if (config.mode() == AvtomatikaConfig.Mode.WATERFALL && clients.size() > 1) {
            return waterfall(snapshot);
        }
        RxonClient client = config.mode() == AvtomatikaConfig.Mode.ROUND_ROBIN
                ? nextWeighted()
                : clients.get(Math.floorMod(current.get(), clients.size()));
        try {
            if (!client.registered) {
                register(client);
            }
            return poll(client, snapshot);
        } catch (IOException e) {
            if (config.mode() == AvtomatikaConfig.Mode.FAILOVER && clients.size() > 1) {
                int next = current.incrementAndGet();
                LOG.warn("orchestrator {} unreachable ({}); failing over to {}", client.base(), e.getMessage(),
                        clients.get(Math.floorMod(next, clients.size())).base());
            }
            throw e;
        }
    }

    /** Each orchestrator in order; the first task found ends the round. Fails only when every one failed. */
    private List<AvtomatikaTask> waterfall(WorkerSnapshot snapshot) throws Exception {
        Exception last = null;
        boolean anyAnswered = false;
        for (RxonClient client : clients) {
            try {
                if (!client.registered) {
                    register(client);
                }
                List<AvtomatikaTask> tasks = poll(client, snapshot);
                if (!tasks.isEmpty()) {
                    return tasks;
                }
                anyAnswered = true;
            } catch (IOException | RetryLaterException e) {
                LOG.debug("poll of {} failed: {}", client.base(), e.getMessage());
                last = e;
            }
        }
        if (!anyAnswered && last != null) {
            throw last;
        }
        return List.of();
    }

    /** The SDK's smooth weighted round robin: add each weight, take the largest, subtract the total from it. */
    private synchronized RxonClient nextWeighted() {
        int total = 0;
        RxonClient best = null;
        for (RxonClient c : clients) {
            c.currentWeight += c.orchestrator().weight();
            total += c.orchestrator().weight();
            if (best == null || c.currentWeight > best.currentWeight) {
                best = c;
            }
        }
        best.currentWeight -= total;
        return best;
    }

    private List<AvtomatikaTask> poll(RxonClient client, WorkerSnapshot snapshot) throws Exception {
        List<String> available = availableSkills(snapshot);
        StringBuilder path = new StringBuilder("/_worker/workers/").append(config.workerId())
                .append("/tasks/next?timeout=").append(config.pollTimeout().toSeconds());
        if (!available.isEmpty()) {
            path.append("&available_skills=").append(URLEncoder.encode(String.join(",", available), StandardCharsets.UTF_8));
            List<String> hot = hotSkills(available);
            if (!hot.isEmpty()) {
                path.append("&hot_skills=").append(URLEncoder.encode(String.join(",", hot), StandardCharsets.UTF_8));
            }
        }
        RxonClient.Response r = client.poll(path.toString(), config.pollTimeout().plusSeconds(5));
        if (r.status() == 204) {
            return List.of();
        }
        if (r.status() == 429 || r.status() == 503) {
            throw new RetryLaterException("poll: HTTP " + r.status(), r.retryAfter());
        }
        if (r.status() == 404) {
            client.registered = false;
        }
        if (!r.ok()) {
            throw new IOException("poll at " + client.base() + ": HTTP " + r.status() + " " + r.error());
        }
        return List.of(toTask(r.body(), client));
    }

    @SuppressWarnings("unchecked")
    private static AvtomatikaTask toTask(JsonNode body, RxonClient origin) {
        Map<String, Object> payload = RxonClient.JSON.convertValue(body, Map.class);
        Object params = payload.get("params");
        Object deadline = payload.get("deadline");
        return new AvtomatikaTask(String.valueOf(payload.get("job_id")), String.valueOf(payload.get("task_id")),
                String.valueOf(payload.get("type")), params instanceof Map ? (Map<String, Object>) params : null,
                deadline instanceof Number n ? n.doubleValue() : null, payload, origin);
    }

    @Override
    public void interruptFetch() {
        clients.forEach(RxonClient::abortPoll);
    }

    // ---- running ----------------------------------------------------------------------------------------------

    @Override
    public String taskId(AvtomatikaTask task) {
        return task.taskId();
    }

    @Override
    public String limitGroup(AvtomatikaTask task) {
        AvtomatikaSkill skill = config.skills().get(task.type());
        return skill == null ? null : skill.binding().limitGroup();
    }

    @Override
    public Preparation prepare(AvtomatikaTask task) {
        AvtomatikaSkill skill = config.skills().get(task.type());
        if (skill == null) {
            return Preparation.done(CallOutcome.failure(CallOutcome.Kind.UNSUPPORTED, "UnknownSkill",
                    "this worker has no skill '" + task.type() + "'", false));
        }
        if (task.payload().get("params") != null && task.params() == null) {
            return Preparation.done(CallOutcome.failure(CallOutcome.Kind.INVALID_INPUT, "InvalidInput",
                    "params must be a JSON object", false));
        }
        OperatorRequest request;
        try {
            request = RequestMapping.toRequest(task.params(), skill.binding().inputSlots());
        } catch (IllegalArgumentException e) {
            return Preparation.done(CallOutcome.failure(CallOutcome.Kind.INVALID_INPUT, "InvalidInput", e.getMessage(),
                    false));
        }
        Duration timeout = skill.binding().target().timeout();
        if (task.deadline() != null) {
            long leftMillis = Math.round(task.deadline() * 1000) - System.currentTimeMillis();
            if (leftMillis <= 0) {
                return Preparation.done(CallOutcome.failure(CallOutcome.Kind.DEADLINE_EXCEEDED, "DeadlineExceeded",
                        "the task's deadline passed before it started", false));
            }
            Duration left = Duration.ofMillis(leftMillis);
            timeout = timeout == null || left.compareTo(timeout) < 0 ? left : timeout;
        }
        if (payloads != null) {
            // last, as it costs a HEAD per checked input: nothing else may refuse the task after it
            CallOutcome mismatch = payloads.checkInputs(task.params(), task.payload().get("params_metadata"));
            if (mismatch != null) {
                return Preparation.done(mismatch);
            }
        }
        return Preparation.call(new OperatorCall(skill.binding().target(), request, timeout,
                config.cancelKeyPrefix() + task.taskId()));
    }

    @Override
    public Report progressReport(AvtomatikaTask task, ProgressUpdate update) {
        Map<String, Object> payload = new LinkedHashMap<>();
        // the orchestrator's example carries progress as a fraction of 1
        payload.put("progress", Math.round(update.percent()) / 100.0);
        payload.put("message", update.message());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_id", UUID.randomUUID().toString());
        body.put("worker_id", config.workerId());
        body.put("origin_worker_id", config.workerId());
        body.put("event_type", "progress");
        body.put("payload", payload);
        body.put("target_job_id", task.jobId());
        body.put("target_task_id", task.taskId());
        return Report.bestEffort(task.taskId(), "progress " + update.wholePercent() + "%", () -> {
            RxonClient.Response r = task.origin().send("POST", "/_worker/events", body, RxonClient.Signing.EVENT,
                    config.requestTimeout());
            return r.ok() ? Delivery.DELIVERED : Delivery.REJECTED;
        });
    }

    /** In: the task's {@code tracing_context} (W3C {@code traceparent}, {@code tracestate}, {@code baggage}). */
    @Override
    public Map<String, String> traceContext(AvtomatikaTask task) {
        return task.payload().get("tracing_context") instanceof Map<?, ?> context
                ? io.camelsandai.tracing.TraceHeaders.of(stringKeys(context)) : Map.of();
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    @Override
    public Report finalReport(AvtomatikaTask task, CallOutcome outcome, boolean cancelRequested) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", task.jobId());
        body.put("task_id", task.taskId());
        body.put("worker_id", config.workerId());
        ResultMapping.apply(outcome, cancelRequested, body);
        Map<String, String> trace = traceContext(task);
        if (!trace.isEmpty()) {
            body.put("tracing_context", trace); // out: the result names the trace it belongs to (ignored if unknown)
        }
        String what = "result " + body.get("status") + (body.get("error") instanceof Map<?, ?> e ? " " + e.get("code") : "");
        return Report.durable(task.taskId(), what, () -> {
            addDataMetadata(outcome, body);
            return postResult(task, body);
        });
    }

    /** Once per result, on the outbox's thread (it may HEAD the outputs): {@code data_metadata} of a success. */
    @SuppressWarnings("unchecked")
    private void addDataMetadata(CallOutcome outcome, Map<String, Object> body) {
        if (payloads == null || !outcome.isSuccess() || body.containsKey("data_metadata")
            || !(body.get("data") instanceof Map<?, ?> data)) {
            return;
        }
        Map<String, Object> metadata = payloads.outputMetadata((Map<String, Object>) data, outcome.result());
        if (!metadata.isEmpty()) {
            body.put("data_metadata", metadata);
        }
    }

    private Delivery postResult(AvtomatikaTask task, Map<String, Object> body) throws Exception {
        RxonClient.Response r = task.origin().send("POST", "/_worker/tasks/result", body, RxonClient.Signing.MESSAGE,
                config.requestTimeout());
        if (r.ok()) {
            if ("ignored".equals(r.body().path("status").asText())) {
                LOG.info("orchestrator ignored the result of {}: {}", task.taskId(), r.body().path("reason").asText());
                return Delivery.REJECTED; // the spec: never retry an ignored result
            }
            return Delivery.DELIVERED;
        }
        if (r.status() == 429 || r.status() == 503) {
            throw new RetryLaterException("result: HTTP " + r.status(), r.retryAfter());
        }
        if (r.status() == 400) {
            LOG.error("orchestrator refused the result of {} as malformed: {}", task.taskId(), r.error());
            return Delivery.REJECTED;
        }
        // 401/403 (credentials, clock), 5xx: kept and retried, re-signed with a fresh timestamp each time
        throw new IOException("result of " + task.taskId() + ": HTTP " + r.status() + " " + r.error());
    }

    // ---- stop -------------------------------------------------------------------------------------------------

    @Override
    public void draining(WorkerSnapshot snapshot) {
        try {
            heartbeat(snapshot, "draining");
        } catch (Exception e) {
            LOG.debug("draining heartbeat failed: {}", e.toString());
        }
    }

    @Override
    public void close(WorkerSnapshot snapshot) {
        channels.forEach(CommandChannel::close);
        try {
            heartbeat(snapshot, "offline");
        } catch (Exception e) {
            LOG.debug("final heartbeat failed: {}", e.toString());
        }
        if (ownStores != null) {
            ownStores.close();
        }
    }
}
