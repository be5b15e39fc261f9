package io.camelsandai.bridge;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * An Avtomatika orchestrator's worker API, written from the protocol file and strict where it is: the three
 * headers, token check order (STS, individual, global), zero-trust checks on register / heartbeat with body /
 * result / event (integer timestamp within 60 s, HMAC-SHA256 over its own canonical JSON, signer id, sender id),
 * 403 with {@code {"error"}} on any of them, 401 for an expired STS token, 204 on an empty poll, "ignored" for a
 * stale result. Like orchestrator 1.0b27: an expired or unknown STS token is not special (it falls through to the
 * token checks and ends as 403 "Unauthorized"), a refresh needs only the refresh token and X-Worker-ID, a heartbeat
 * whose skills hash matches while no skills are stored answers {@code require_full_sync}, and optional per-type rate
 * limits answer 429 with Retry-After. Over HTTPS with client certificates, the certificate CN is the identity and
 * must equal X-Worker-ID (no token needed then). It counts tasks handed out and not answered to check a worker's
 * concurrency limit.
 * State survives {@link #down()} / {@link #up()}, so a test can take it away and bring it back on the same port.
 */
public final class FakeAvtomatika implements AutoCloseable {
    static final String VERSION = "1.0b14";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String globalToken;
    private final Map<String, String> individualTokens = new ConcurrentHashMap<>();
    private final Map<String, StsToken> stsTokens = new ConcurrentHashMap<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private volatile long stsLifetimeSeconds = 3600;
    private final javax.net.ssl.SSLContext tls;
    private final boolean requireClientCert;
    private final Map<String, long[]> rateLimits = new ConcurrentHashMap<>(); // type -> {limit, period ms}
    private final Map<String, long[]> rateWindows = new ConcurrentHashMap<>(); // worker:type -> {window start, count}
    private final Map<String, List<Object>> storedSkills = new ConcurrentHashMap<>();
    private final Map<String, String> storedHashes = new ConcurrentHashMap<>();
    public final List<String> fullSyncsRequested = new CopyOnWriteArrayList<>();
    /** Worker ids authenticated by their client certificate's CN. */
    public final Set<String> certificateIdentities = ConcurrentHashMap.newKeySet();
    private int port;
    private HttpServer server;
    private ExecutorService executor;
    private volatile long pollHoldMillis = 300;

    // what happened
    public final Map<String, JsonNode> registrations = new ConcurrentHashMap<>();
    public final List<JsonNode> heartbeats = new CopyOnWriteArrayList<>();
    public final List<JsonNode> results = new CopyOnWriteArrayList<>();
    public final List<JsonNode> events = new CopyOnWriteArrayList<>();
    public final List<String> refusals = new CopyOnWriteArrayList<>();
    public final List<String> requestsWithoutVersion = new CopyOnWriteArrayList<>();
    public final Map<String, Integer> resultCount = new ConcurrentHashMap<>();
    private final LinkedBlockingDeque<Map<String, Object>> queue = new LinkedBlockingDeque<>();
    private final Map<String, String> outstanding = new ConcurrentHashMap<>(); // task id -> worker id
    private final Set<String> cancelledJobs = ConcurrentHashMap.newKeySet();
    private volatile int maxOutstanding;
    public volatile int stsIssued;
    public volatile int stsRefreshed;

    private record StsToken(String workerId, long expiresAtMillis) {
    }

    public FakeAvtomatika(String globalToken) throws IOException {
        this(globalToken, null, false);
    }

    /** Served over HTTPS with this server context; with {@code requireClientCert} a client certificate is a must. */
    public FakeAvtomatika(String globalToken, javax.net.ssl.SSLContext tls, boolean requireClientCert) throws IOException {
        this.globalToken = globalToken;
        this.tls = tls;
        this.requireClientCert = requireClientCert;
        up();
    }

    /** Limits calls of one type (register, heartbeat, poll, result, event) per worker: 429 beyond, as the real one. */
    public FakeAvtomatika rateLimit(String type, int limit, java.time.Duration period) {
        rateLimits.put(type, new long[] {limit, period.toMillis()});
        return this;
    }

    /** Drops the skills stored for a worker (as after a restart of the orchestrator's storage that kept the hash). */
    public void forgetSkills(String workerId) {
        storedSkills.put(workerId, List.of());
    }

    public List<Object> storedSkills(String workerId) {
        return storedSkills.get(workerId);
    }

    public FakeAvtomatika individualToken(String workerId, String token) {
        individualTokens.put(workerId, token);
        return this;
    }

    public void pollHoldMillis(long millis) {
        this.pollHoldMillis = millis;
    }

    public void stsLifetimeSeconds(long s) {
        this.stsLifetimeSeconds = s;
    }

    /** Expires every STS access token now (the next call with one gets 401). */
    public void expireAccessTokens() {
        stsTokens.replaceAll((t, s) -> new StsToken(s.workerId(), 0));
    }

    public String url() {
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + port;
    }

    public synchronized void up() throws IOException {
        if (tls != null) {
            HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    javax.net.ssl.SSLParameters p = tls.getDefaultSSLParameters();
                    if (requireClientCert) {
                        p.setNeedClientAuth(true);
                    } else {
                        p.setWantClientAuth(true);
                    }
                    params.setSSLParameters(p);
                }
            });
            server = https;
        } else {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        }
        port = server.getAddress().getPort();
        executor = Executors.newFixedThreadPool(32);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public synchronized void down() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public void close() {
        down();
    }

    // ---- test API ----------------------------------------------------------------------------------------------

    /** Queues a task for any worker; returns its task id. */
    public String addTask(String type, Map<String, Object> params, Double deadline) {
        return addTask(type, params, deadline, null);
    }

    /** Queues a task with {@code params_metadata} (path -> {uri, size, etag}), as the S3 convention has it. */
    public String addTask(String type, Map<String, Object> params, Double deadline, Map<String, Object> paramsMetadata) {
        return addTask(type, params, deadline, paramsMetadata, Map.of());
    }

    /** Queues a task whose {@code tracing_context} carries the given W3C context ({@code traceparent}, ...). */
    public String addTask(String type, Map<String, Object> params, Double deadline, Map<String, Object> paramsMetadata,
                          Map<String, Object> tracingContext) {
        Map<String, Object> payload = new LinkedHashMap<>();
        String jobId = UUID.randomUUID().toString();
        String taskId = "task-" + UUID.randomUUID();
        payload.put("job_id", jobId);
        payload.put("task_id", taskId);
        payload.put("type", type);
        payload.put("params", params);
        payload.put("tracing_context", tracingContext);
        if (paramsMetadata != null) {
            payload.put("params_metadata", paramsMetadata);
        }
        payload.put("priority", 0);
        if (deadline != null) {
            payload.put("deadline", deadline);
        }
        payload.put("timestamp", Instant.now().toEpochMilli() / 1000.0);
        payload.put("unknown_future_field", "ignored by workers");
        queue.add(payload);
        return taskId;
    }

    /** Marks the job of a task as cancelled: heartbeats listing that task get it in cancel_task_ids. */
    public void cancelJobOfTask(String taskId) {
        cancelledJobs.add(taskId);
    }

    public int maxOutstanding() {
        return maxOutstanding;
    }

    public int outstanding() {
        return outstanding.size();
    }

    public JsonNode resultOf(String taskId) {
        for (JsonNode r : results) {
            if (taskId.equals(r.path("task_id").asText())) {
                return r;
            }
        }
        return null;
    }

    // ---- HTTP --------------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try {
            ex.getResponseHeaders().add("X-RXON-Version", VERSION);
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (ex.getRequestHeaders().getFirst("X-RXON-Version") == null) {
                requestsWithoutVersion.add(method + " " + path); // only a warning in the real orchestrator
            }
            byte[] raw = ex.getRequestBody().readAllBytes();
            String token = ex.getRequestHeaders().getFirst("X-Worker-Token");
            String headerId = ex.getRequestHeaders().getFirst("X-Worker-ID");
            if (path.equals("/_worker/auth/token/refresh") && method.equals("POST")) {
                // no credential check here: the refresh token itself is verified (403 when unknown or not this worker's)
                JsonNode body = JSON.readTree(raw);
                String owner = refreshTokens.get(body.path("refresh_token").asText());
                if (owner == null || !owner.equals(headerId)) {
                    refuse(ex, 403, "Unauthorized: Invalid refresh token");
                    return;
                }
                refreshTokens.remove(body.path("refresh_token").asText());
                stsRefreshed++;
                issueSts(ex, owner);
                return;
            }
            String certId = certificateIdentity(ex);
            String workerId;
            StsToken sts = token == null ? null : stsTokens.get(token);
            if (sts != null && sts.expiresAtMillis() < System.currentTimeMillis()) {
                sts = null; // an expired access token is simply unknown: it falls through to the token checks
            }
            if (certId != null) {
                if (headerId != null && !certId.equals(headerId)) {
                    refuse(ex, 403, "Unauthorized: Certificate CN '" + certId + "' does not match worker_id '" + headerId + "'");
                    return;
                }
                workerId = certId;
                certificateIdentities.add(certId);
            } else if (token == null) {
                refuse(ex, 403, "Unauthorized: Missing X-Worker-Token header or client certificate.");
                return;
            } else if (sts != null) {
                if (headerId != null && !sts.workerId().equals(headerId)) {
                    refuse(ex, 403, "Unauthorized: Access Token belongs to another worker");
                    return;
                }
                workerId = sts.workerId();
            } else if (headerId != null && individualTokens.containsKey(headerId)) {
                if (!token.equals(individualTokens.get(headerId))) {
                    refuse(ex, 403, "Unauthorized: Invalid individual worker token");
                    return;
                }
                workerId = headerId;
            } else if (token.equals(globalToken)) {
                workerId = headerId != null ? headerId : "unknown_authenticated_by_global_token";
            } else {
                refuse(ex, 403, "Unauthorized: No valid token found");
                return;
            }
            if (rateLimited(ex, workerId, messageType(method, path))) {
                return;
            }
            if (path.equals("/_worker/auth/token") && method.equals("POST")) {
                issueSts(ex, workerId);
                return;
            }
            if (path.equals("/_worker/workers/register") && method.equals("POST")) {
                JsonNode body = verified(ex, raw, workerId, false);
                if (body != null) {
                    if (!body.path("worker_id").asText().matches("[A-Za-z0-9_.-]{1,128}")) {
                        refuse(ex, 400, "Invalid WorkerRegistration payload: worker_id");
                        return;
                    }
                    registrations.put(workerId, body);
                    List<Object> skills = new ArrayList<>();
                    body.path("supported_skills").forEach(skills::add);
                    storedSkills.put(workerId, skills);
                    storedHashes.put(workerId, body.path("skills_hash").asText(""));
                    reply(ex, 200, Map.of("status", "registered", "version", VERSION));
                }
                return;
            }
            if (path.startsWith("/_worker/workers/") && path.endsWith("/tasks/next") && method.equals("GET")) {
                String pathId = path.substring("/_worker/workers/".length(), path.length() - "/tasks/next".length());
                if (!pathId.equals(workerId)) {
                    refuse(ex, 403, "Immediate sender ID mismatch");
                    return;
                }
                poll(ex, workerId);
                return;
            }
            if (path.startsWith("/_worker/workers/") && method.equals("PATCH")) {
                String pathId = path.substring("/_worker/workers/".length());
                if (!pathId.equals(workerId)) {
                    refuse(ex, 403, "Immediate sender ID mismatch");
                    return;
                }
                if (raw.length == 0) {
                    reply(ex, 200, registrations.containsKey(workerId) ? Map.of("status", "ttl_refreshed") : null);
                    return;
                }
                JsonNode body = verified(ex, raw, workerId, false);
                if (body == null) {
                    return;
                }
                heartbeats.add(body);
                if (!registrations.containsKey(workerId)) {
                    reply(ex, 200, null);
                    return;
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("status", "ok");
                String hash = body.path("skills_hash").asText("");
                if (!hash.isEmpty() && hash.equals(storedHashes.get(workerId))) {
                    // as 1.0b27: an unchanged hash drops the heartbeat's skills, so only a registration restores them
                    if (storedSkills.getOrDefault(workerId, List.of()).isEmpty()) {
                        answer.put("require_full_sync", true);
                        fullSyncsRequested.add(workerId);
                    }
                } else if (body.path("supported_skills").isArray()) {
                    List<Object> skills = new ArrayList<>();
                    body.path("supported_skills").forEach(skills::add);
                    storedSkills.put(workerId, skills);
                    storedHashes.put(workerId, hash);
                }
                List<String> cancel = new ArrayList<>();
                body.path("current_tasks").forEach(t -> {
                    if (cancelledJobs.contains(t.asText())) {
                        cancel.add(t.asText());
                    }
                });
                if (!cancel.isEmpty()) {
                    answer.put("cancel_task_ids", cancel);
                }
                reply(ex, 200, answer);
                return;
            }
            if (path.equals("/_worker/tasks/result") && method.equals("POST")) {
                JsonNode body = verified(ex, raw, workerId, false);
                if (body == null) {
                    return;
                }
                if (body.hasNonNull("worker_id") && !body.get("worker_id").asText().equals(workerId)) {
                    refuse(ex, 403, "Immediate sender ID mismatch");
                    return;
                }
                if (!body.path("job_id").isTextual() || !body.path("task_id").isTextual() || !body.path("status").isTextual()
                    || (body.has("data") && !body.get("data").isObject())
                    || (body.has("error") && !(body.get("error").isObject() && body.get("error").path("message").isTextual()))) {
                    refuse(ex, 400, "Invalid TaskResult payload");
                    return;
                }
                String taskId = body.path("task_id").asText();
                resultCount.merge(taskId, 1, Integer::sum);
                if (outstanding.remove(taskId) == null) {
                    reply(ex, 200, Map.of("status", "ignored", "reason", "stale_task", "message", "not current"));
                    return;
                }
                results.add(body);
                String status = body.path("status").asText();
                String transition = switch (status) {
                    case "success" -> "success_transition";
                    case "failure" -> "failure_handled";
                    case "cancelled" -> "cancelled_handled";
                    default -> "unhandled_status_failure";
                };
                reply(ex, 200, Map.of("status", "accepted", "transition", transition));
                return;
            }
            if (path.equals("/_worker/events") && method.equals("POST")) {
                JsonNode body = verified(ex, raw, workerId, true);
                if (body != null) {
                    events.add(body);
                    reply(ex, 200, Map.of("status", "event_accepted"));
                }
                return;
            }
            reply(ex, 404, Map.of("error", "Not found"));
        } catch (RuntimeException e) {
            reply(ex, 500, Map.of("error", String.valueOf(e)));
        } finally {
            ex.close();
        }
    }

    /** The client certificate's CN, when the request came over TLS with one. */
    private static String certificateIdentity(HttpExchange ex) {
        if (!(ex instanceof HttpsExchange https)) {
            return null;
        }
        try {
            java.security.cert.Certificate[] chain = https.getSSLSession().getPeerCertificates();
            String dn = ((java.security.cert.X509Certificate) chain[0]).getSubjectX500Principal().getName();
            for (javax.naming.ldap.Rdn rdn : new javax.naming.ldap.LdapName(dn).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
            return null;
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return null;
        } catch (javax.naming.InvalidNameException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String messageType(String method, String path) {
        if (path.endsWith("/tasks/next")) {
            return "poll";
        }
        if (method.equals("PATCH")) {
            return "heartbeat";
        }
        if (path.endsWith("/register")) {
            return "register";
        }
        if (path.endsWith("/result")) {
            return "result";
        }
        return path.endsWith("/events") ? "event" : "other";
    }

    /** A fixed window per worker and type, as the orchestrator's INCR-with-TTL counter. */
    private boolean rateLimited(HttpExchange ex, String workerId, String type) throws IOException {
        long[] limit = rateLimits.get(type);
        if (limit == null) {
            return false;
        }
        long now = System.currentTimeMillis();
        long[] window = rateWindows.compute(workerId + ":" + type, (k, w) -> {
            if (w == null || now - w[0] >= limit[1]) {
                return new long[] {now, 1};
            }
            w[1]++;
            return w;
        });
        if (window[1] <= limit[0]) {
            return false;
        }
        long retryAfter = Math.max(1, (window[0] + limit[1] - now + 999) / 1000);
        ex.getResponseHeaders().add("Retry-After", String.valueOf(retryAfter));
        refuse(ex, 429, "Too Many Requests");
        return true;
    }

    private void issueSts(HttpExchange ex, String workerId) throws IOException {
        String access = "sts-" + UUID.randomUUID();
        String refresh = "refresh-" + UUID.randomUUID();
        stsTokens.put(access, new StsToken(workerId, System.currentTimeMillis() + stsLifetimeSeconds * 1000));
        refreshTokens.put(refresh, workerId);
        stsIssued++;
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", access);
        answer.put("refresh_token", refresh);
        answer.put("expires_in", stsLifetimeSeconds);
        answer.put("worker_id", workerId);
        reply(ex, 200, answer);
    }

    private void poll(HttpExchange ex, String workerId) throws IOException {
        Map<String, Object> task;
        try {
            task = queue.poll(pollHoldMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task = null;
        }
        if (task == null) {
            ex.sendResponseHeaders(204, -1);
            return;
        }
        synchronized (outstanding) {
            outstanding.put((String) task.get("task_id"), workerId);
            maxOutstanding = Math.max(maxOutstanding, outstanding.size());
        }
        reply(ex, 200, task);
    }

    /** The zero-trust checks; answers 400/403 itself and returns null when the message is refused. */
    private JsonNode verified(HttpExchange ex, byte[] raw, String workerId, boolean event) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (IOException e) {
            refuse(ex, 400, "Invalid JSON");
            return null;
        }
        if (body == null || !body.isObject()) {
            refuse(ex, 400, "Invalid model");
            return null;
        }
        JsonNode ts = body.get("timestamp");
        if (ts == null || !ts.isIntegralNumber()) {
            refuse(ex, 403, "Missing or invalid timestamp");
            return null;
        }
        if (Math.abs(Instant.now().getEpochSecond() - ts.asLong()) > 60) {
            refuse(ex, 403, "Stale timestamp");
            return null;
        }
        String secret = individualTokens.getOrDefault(workerId, globalToken);
        JsonNode security = body.path("security");
        if (!security.hasNonNull("signature")) {
            refuse(ex, 403, "Missing signature");
            return null;
        }
        if (security.hasNonNull("signer_id") && !security.get("signer_id").asText().equals(workerId)) {
            refuse(ex, 403, "Signer ID mismatch");
            return null;
        }
        ObjectNode unsigned = ((ObjectNode) body).deepCopy();
        unsigned.remove("security");
        if (event) {
            unsigned.remove("bubbling_chain");
        }
        String expected = hmac(secret, canonical(unsigned));
        if (!expected.equals(security.get("signature").asText())) {
            refuse(ex, 403, "Invalid signature");
            return null;
        }
        if (body.hasNonNull("worker_id") && !body.get("worker_id").asText().equals(workerId)) {
            refuse(ex, 403, "Immediate sender ID mismatch");
            return null;
        }
        return body;
    }

    /** The verifier's canonical form, written independently of the worker's code: sorted, compact, no nulls. */
    static String canonical(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    sorted.put(e.getKey(), e.getValue());
                }
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isFloatingPointNumber() && node.asDouble() == Math.rint(node.asDouble())) {
            out.append((long) node.asDouble());
        } else if (node.isFloatingPointNumber()) {
            out.append(orjsonFloat(node.asDouble()));
        } else if (node.isTextual()) {
            writeString(node.asText(), out);
        } else {
            out.append(node.toString());
        }
    }

    /** As orjson escapes: only quote, backslash and control characters, the latter as lowercase backslash-u. */
    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\b') {
                out.append("\\b");
            } else if (c == '\f') {
                out.append("\\f");
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** orjson's float layout: plain while the point is within 16 places (down to 1e-5), else mantissa e exponent. */
    private static String orjsonFloat(double d) {
        java.math.BigDecimal v = new java.math.BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = v.unscaledValue().toString();
        int point = digits.length() - v.scale();
        String body;
        if (point > 0 && point <= 16) {
            body = point >= digits.length() ? digits + "0".repeat(point - digits.length()) + ".0"
                    : digits.substring(0, point) + "." + digits.substring(point);
        } else if (point <= 0 && point > -5) {
            body = "0." + "0".repeat(-point) + digits;
        } else {
            body = digits.charAt(0) + (digits.length() > 1 ? "." + digits.substring(1) : "") + "e" + (point - 1);
        }
        return (d < 0 ? "-" : "") + body;
    }

    static String hmac(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void refuse(HttpExchange ex, int status, String error) throws IOException {
        refusals.add(status + " " + ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + ": " + error);
        reply(ex, status, Map.of("error", error));
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    public List<String> refusals() {
        return Collections.unmodifiableList(refusals);
    }
}
