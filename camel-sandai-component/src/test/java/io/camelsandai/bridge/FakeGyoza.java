package io.camelsandai.bridge;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A gyoza server's worker-facing API, as strict as the protocol file allows:
 * <ul>
 *   <li>{@code X-API-Key} checked on every request (401);</li>
 *   <li>{@code POST /workers/heartbeat}: JSON body with {@code worker_id} (string), {@code resources}
 *       ({@code cpu_cores}, {@code ram_mb} whole numbers, {@code gpus} a list of {@code {id, vram_mb, tags}}),
 *       {@code tags} (list of strings), optional {@code running_ops} (list of objects); 422 otherwise;</li>
 *   <li>{@code POST /workers/{id}/claim}: 404 for a worker that has not sent a heartbeat (or was forgotten), else
 *       {@code {"ops": [...]}} with at most {@link #claimBatch} pending runs (none: an empty list);</li>
 *   <li>{@code POST /runs/{id}/events}: JSON {@code {type, msg, payload?}}; 422 for an unknown type, a msg that is
 *       neither text nor a whole number, or a payload that is not an object; 400 (and a recorded violation) for
 *       STARTED except on a claimed run, PROGRESS (0-100) and COMPLETED ({@code payload.outputs} object) and FAILED
 *       ({@code payload.error_message} text) except while RUNNING, CANCELLED except on a claimed or running run,
 *       and anything after a terminal state;</li>
 *   <li>{@code GET /runs/{id}}: the run with state, events and attempts; 405 for a wrong method, 404 for an unknown
 *       path or run.</li>
 * </ul>
 * Counts runs started and not finished to check a worker's limit. State survives {@link #down()} / {@link #up()}.
 */
public final class FakeGyoza implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");

    /** One run and its events. */
    public static final class Run {
        public final String id;
        public final Map<String, Object> op;
        public volatile String state = "PENDING";
        public final List<JsonNode> events = new CopyOnWriteArrayList<>();

        Run(String id, Map<String, Object> op) {
            this.id = id;
            this.op = op;
        }
    }

    private final String apiKey;
    private int port;
    private HttpServer server;
    private ExecutorService executor;
    private volatile int claimBatch = 1;
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final Deque<String> handOutAgain = new ArrayDeque<>();
    private final Set<String> workers = ConcurrentHashMap.newKeySet();
    private final Map<String, Duration> slowStartedAnswers = new ConcurrentHashMap<>();
    private volatile boolean plainTextEventAnswers;
    private volatile boolean bareListClaims;
    private int running;
    private int maxRunning;
    public final List<String> violations = new CopyOnWriteArrayList<>();
    public final List<JsonNode> heartbeats = new CopyOnWriteArrayList<>();
    /** Worker ids of the claims, as the server decoded them from the path. */
    public final List<String> claims = new CopyOnWriteArrayList<>();

    public FakeGyoza(String apiKey) throws IOException {
        this.apiKey = apiKey;
        up();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** How many pending runs one claim hands out at most. */
    public void claimBatch(int n) {
        claimBatch = n;
    }

    /** Forgets every worker, as a restarted server would: their next claim gets 404 until they heartbeat again. */
    public void forgetWorkers() {
        workers.clear();
    }

    /** The next claim hands this run out again, whatever its state (a server re-assigning a run it thinks lost). */
    public synchronized void handOutAgain(String runId) {
        handOutAgain.add(runId);
    }

    /** STARTED of this run is applied, then answered only after {@code delay} (a lost answer when past the timeout). */
    public void slowStartedAnswer(String runId, Duration delay) {
        slowStartedAnswers.put(runId, delay);
    }

    /** Events are answered 200 with a plain text body instead of the run. */
    public void plainTextEventAnswers(boolean on) {
        plainTextEventAnswers = on;
    }

    /** Claims are answered with a bare list of ops instead of {@code {"ops": [...]}}. */
    public void bareListClaims(boolean on) {
        bareListClaims = on;
    }

    public synchronized void up() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        port = server.getAddress().getPort();
        executor = Executors.newFixedThreadPool(16);
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

    /** A pending run as a definition-based op. */
    public String addRun(String definition, String version, String image, Map<String, Object> inputs) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("definition", definition);
        op.put("version", version);
        op.put("image", image);
        op.put("inputs", inputs);
        op.put("priority", 5);
        op.put("attempt", 1);
        return addOp(op);
    }

    /** A pending run handed out as {@code op} plus {@code run_id} (unless {@code op} already names its id). */
    public synchronized String addOp(Map<String, Object> op) {
        String id = "run-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> shaped = new LinkedHashMap<>();
        if (!op.containsKey("id") && !op.containsKey("run") && !op.containsKey("op_run")) {
            shaped.put("run_id", id);
        }
        shaped.putAll(op);
        runs.put(id, new Run(id, shaped));
        return id;
    }

    /** A pending run handed out exactly as {@code op}, which names the returned id somewhere. */
    public synchronized String addOpAsIs(String id, Map<String, Object> op) {
        runs.put(id, new Run(id, new LinkedHashMap<>(op)));
        return id;
    }

    /** Cancels a run on the server (as a user's PATCH would). */
    public synchronized void cancelRun(String id) {
        Run r = runs.get(id);
        if (r.state.equals("RUNNING")) {
            running--;
        }
        r.state = "CANCELLED";
    }

    public synchronized Run run(String id) {
        return runs.get(id);
    }

    public synchronized int maxRunning() {
        return maxRunning;
    }

    public synchronized long count(String state) {
        return runs.values().stream().filter(r -> r.state.equals(state)).count();
    }

    public synchronized List<String> eventTypes(String runId) {
        List<String> out = new ArrayList<>();
        runs.get(runId).events.forEach(e -> out.add(e.path("type").asText()));
        return out;
    }

    /** A 4xx answer: the status and FastAPI's {@code detail}. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refusal(int status, String detail) {
            super(detail, null, false, false);
            this.status = status;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            if (apiKey != null && !apiKey.equals(ex.getRequestHeaders().getFirst("X-API-Key"))) {
                throw new Refusal(401, "invalid or missing API key");
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            byte[] raw = ex.getRequestBody().readAllBytes();
            if (path.equals("/workers/heartbeat")) {
                allow(method, "POST");
                reply(ex, 200, Map.of("worker_id", heartbeat(json(ex, raw)), "status", "ONLINE"));
            } else if (path.startsWith("/workers/") && path.endsWith("/claim")) {
                allow(method, "POST");
                List<Object> ops = claim(path.substring("/workers/".length(), path.length() - "/claim".length()));
                reply(ex, 200, bareListClaims ? ops : Map.of("ops", ops));
            } else if (path.startsWith("/runs/") && path.endsWith("/events")) {
                allow(method, "POST");
                String id = path.substring("/runs/".length(), path.length() - "/events".length());
                event(ex, id, json(ex, raw));
            } else if (path.startsWith("/runs/") && path.indexOf('/', "/runs/".length()) < 0) {
                allow(method, "GET");
                reply(ex, 200, runView(path.substring("/runs/".length())));
            } else {
                throw new Refusal(404, "Not Found");
            }
        } catch (Refusal r) {
            reply(ex, r.status, Map.of("detail", r.getMessage()));
        } catch (RuntimeException e) {
            reply(ex, 500, Map.of("detail", String.valueOf(e)));
        } finally {
            ex.close();
        }
    }

    private static void allow(String method, String allowed) throws Refusal {
        if (!method.equals(allowed)) {
            throw new Refusal(405, "Method Not Allowed");
        }
    }

    private static JsonNode json(HttpExchange ex, byte[] raw) throws Refusal {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            throw new Refusal(422, "body must be application/json, got " + type);
        }
        try {
            JsonNode body = JSON.readTree(raw);
            if (body == null || !body.isObject()) {
                throw new Refusal(422, "body must be a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new Refusal(422, "body is not JSON: " + e.getMessage());
        }
    }

    private String heartbeat(JsonNode body) throws Refusal {
        if (!body.path("worker_id").isTextual() || body.path("worker_id").asText().isEmpty()) {
            throw new Refusal(422, "worker_id must be a non-empty string");
        }
        JsonNode res = body.path("resources");
        if (!res.isObject() || !res.path("cpu_cores").canConvertToExactIntegral()
            || !res.path("ram_mb").canConvertToExactIntegral() || !res.path("gpus").isArray()) {
            throw new Refusal(422, "resources must be {cpu_cores: int, ram_mb: int, gpus: [...]}, got " + res);
        }
        for (JsonNode gpu : res.path("gpus")) {
            if (!gpu.path("id").canConvertToExactIntegral() || !gpu.path("vram_mb").canConvertToExactIntegral()
                || !(gpu.path("tags").isMissingNode() || strings(gpu.path("tags")))) {
                throw new Refusal(422, "a gpu must be {id: int, vram_mb: int, tags: [str]}, got " + gpu);
            }
        }
        if (!strings(body.path("tags"))) {
            throw new Refusal(422, "tags must be a list of strings");
        }
        JsonNode ops = body.path("running_ops");
        if (!ops.isMissingNode() && !ops.isNull()) {
            if (!ops.isArray()) {
                throw new Refusal(422, "running_ops must be a list");
            }
            for (JsonNode op : ops) {
                if (!op.isObject()) {
                    throw new Refusal(422, "running_ops entries must be WorkerOpRun objects");
                }
            }
        }
        workers.add(body.get("worker_id").asText());
        heartbeats.add(body);
        return body.get("worker_id").asText();
    }

    private static boolean strings(JsonNode list) {
        if (!list.isArray()) {
            return false;
        }
        for (JsonNode t : list) {
            if (!t.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private List<Object> claim(String workerId) throws Refusal {
        if (!workers.contains(workerId)) {
            throw new Refusal(404, "worker " + workerId + " not found");
        }
        claims.add(workerId);
        List<Object> ops = new ArrayList<>();
        synchronized (this) {
            while (!handOutAgain.isEmpty() && ops.size() < claimBatch) {
                ops.add(runs.get(handOutAgain.poll()).op);
            }
            for (Run r : runs.values()) {
                if (ops.size() >= claimBatch) {
                    break;
                }
                if (r.state.equals("PENDING")) {
                    r.state = "ASSIGNED";
                    ops.add(r.op);
                }
            }
        }
        return ops;
    }

    private synchronized Map<String, Object> runView(String id) throws Refusal {
        Run r = runs.get(id);
        if (r == null) {
            throw new Refusal(404, "run not found");
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", r.id);
        view.put("state", r.state);
        view.put("events", r.events);
        view.put("attempts", List.of(Map.of("attempt", 1)));
        return view;
    }

    private void event(HttpExchange ex, String id, JsonNode body) throws IOException, Refusal {
        String type = body.path("type").asText();
        if (!Set.of("STARTED", "PROGRESS", "COMPLETED", "FAILED", "CANCELLED").contains(type)) {
            throw new Refusal(422, "unknown event type " + body.path("type"));
        }
        JsonNode msg = body.path("msg");
        if (!msg.isTextual() && !msg.canConvertToExactIntegral()) {
            throw new Refusal(422, "msg must be text or a whole number, got " + msg);
        }
        JsonNode payload = body.path("payload");
        if (!payload.isMissingNode() && !payload.isNull() && !payload.isObject()) {
            throw new Refusal(422, "payload must be an object");
        }
        String problem;
        synchronized (this) {
            Run r = runs.get(id);
            if (r == null) {
                throw new Refusal(404, "run not found");
            }
            problem = switch (type) {
                case "STARTED" -> r.state.equals("ASSIGNED") ? null : "STARTED in state " + r.state;
                case "PROGRESS" -> !r.state.equals("RUNNING") ? "PROGRESS in state " + r.state
                        : !msg.canConvertToExactIntegral() || msg.asInt() < 0 || msg.asInt() > 100
                        ? "PROGRESS msg must be 0-100" : null;
                case "COMPLETED" -> !r.state.equals("RUNNING") ? "COMPLETED in state " + r.state
                        : !payload.path("outputs").isObject() ? "COMPLETED without payload.outputs" : null;
                case "FAILED" -> !r.state.equals("RUNNING") ? "FAILED in state " + r.state
                        : !payload.path("error_message").isTextual() ? "FAILED without error_message" : null;
                default -> r.state.equals("RUNNING") || r.state.equals("ASSIGNED") ? null
                        : "CANCELLED in state " + r.state;
            };
            if (problem == null) {
                r.events.add(body);
                String before = r.state;
                if (!type.equals("PROGRESS")) {
                    r.state = type.equals("STARTED") ? "RUNNING" : type;
                }
                if (!before.equals("RUNNING") && r.state.equals("RUNNING")) {
                    running++;
                    maxRunning = Math.max(maxRunning, running);
                } else if (before.equals("RUNNING") && TERMINAL.contains(r.state)) {
                    running--;
                }
            }
        }
        if (problem != null) {
            violations.add(id + ": " + problem);
            throw new Refusal(400, problem);
        }
        Duration slow = type.equals("STARTED") ? slowStartedAnswers.remove(id) : null;
        if (slow != null) {
            try {
                Thread.sleep(slow.toMillis()); // the answer is late on purpose: the client has given up on it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (plainTextEventAnswers) {
            byte[] bytes = "OK".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
            return;
        }
        reply(ex, 200, runView(id));
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }
}
