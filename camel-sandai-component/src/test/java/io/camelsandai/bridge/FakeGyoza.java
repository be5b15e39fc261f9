package io.camelsandai.bridge;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A gyoza server's worker-facing API, from the protocol file: heartbeat, claim, run events, get run. Enforces
 * event order (STARTED only on a claimed run, PROGRESS 0-100 and COMPLETED/FAILED only while RUNNING, nothing after
 * a terminal state: 400), the COMPLETED/FAILED payloads, and the API key (401 without it). Counts runs started and
 * not finished to check a worker's limit. State survives {@link #down()} / {@link #up()}.
 */
public final class FakeGyoza implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

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
    private int running;
    private int maxRunning;
    public final List<String> violations = new CopyOnWriteArrayList<>();
    public final List<JsonNode> heartbeats = new CopyOnWriteArrayList<>();

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
    public synchronized String addRun(String definition, String version, String image, Map<String, Object> inputs) {
        String id = "run-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("run_id", id);
        op.put("definition", definition);
        op.put("version", version);
        op.put("image", image);
        op.put("inputs", inputs);
        op.put("priority", 5);
        op.put("attempt", 1);
        runs.put(id, new Run(id, op));
        return id;
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

    private void handle(HttpExchange ex) throws IOException {
        try {
            if (apiKey != null && !apiKey.equals(ex.getRequestHeaders().getFirst("X-API-Key"))) {
                reply(ex, 401, Map.of("detail", "invalid or missing API key"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            byte[] raw = ex.getRequestBody().readAllBytes();
            if (method.equals("POST") && path.equals("/workers/heartbeat")) {
                JsonNode body = JSON.readTree(raw);
                if (!body.hasNonNull("worker_id") || !body.path("resources").isObject() || !body.path("tags").isArray()) {
                    reply(ex, 400, Map.of("detail", "worker_id, resources and tags are required"));
                    return;
                }
                heartbeats.add(body);
                reply(ex, 200, Map.of("worker_id", body.get("worker_id").asText(), "status", "ONLINE"));
                return;
            }
            if (method.equals("POST") && path.startsWith("/workers/") && path.endsWith("/claim")) {
                List<Object> ops = new ArrayList<>();
                synchronized (this) {
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
                reply(ex, 200, Map.of("ops", ops));
                return;
            }
            if (method.equals("POST") && path.startsWith("/runs/") && path.endsWith("/events")) {
                String id = path.substring("/runs/".length(), path.length() - "/events".length());
                event(ex, id, JSON.readTree(raw));
                return;
            }
            if (method.equals("GET") && path.startsWith("/runs/")) {
                Run r = run(path.substring("/runs/".length()));
                if (r == null) {
                    reply(ex, 404, Map.of("detail", "run not found"));
                } else {
                    reply(ex, 200, Map.of("id", r.id, "state", r.state));
                }
                return;
            }
            reply(ex, 404, Map.of("detail", "not found"));
        } catch (RuntimeException e) {
            reply(ex, 500, Map.of("detail", String.valueOf(e)));
        } finally {
            ex.close();
        }
    }

    private void event(HttpExchange ex, String id, JsonNode body) throws IOException {
        String problem;
        synchronized (this) {
            Run r = runs.get(id);
            if (r == null) {
                reply(ex, 404, Map.of("detail", "run not found"));
                return;
            }
            String type = body.path("type").asText();
            problem = switch (type) {
                case "STARTED" -> r.state.equals("ASSIGNED") ? null : "STARTED in state " + r.state;
                case "PROGRESS" -> !r.state.equals("RUNNING") ? "PROGRESS in state " + r.state
                        : !body.path("msg").isInt() || body.path("msg").asInt() < 0 || body.path("msg").asInt() > 100
                        ? "PROGRESS msg must be 0-100" : null;
                case "COMPLETED" -> !r.state.equals("RUNNING") ? "COMPLETED in state " + r.state
                        : !body.path("payload").path("outputs").isObject() ? "COMPLETED without payload.outputs" : null;
                case "FAILED" -> !r.state.equals("RUNNING") ? "FAILED in state " + r.state
                        : !body.path("payload").path("error_message").isTextual() ? "FAILED without error_message" : null;
                case "CANCELLED" -> r.state.equals("RUNNING") || r.state.equals("ASSIGNED") ? null
                        : "CANCELLED in state " + r.state;
                default -> "unknown event type " + type;
            };
            if (problem == null) {
                r.events.add(body);
                String before = r.state;
                switch (type) {
                    case "STARTED" -> r.state = "RUNNING";
                    case "COMPLETED" -> r.state = "COMPLETED";
                    case "FAILED" -> r.state = "FAILED";
                    case "CANCELLED" -> r.state = "CANCELLED";
                    default -> { }
                }
                if (!before.equals("RUNNING") && r.state.equals("RUNNING")) {
                    running++;
                    maxRunning = Math.max(maxRunning, running);
                } else if (before.equals("RUNNING") && !r.state.equals("RUNNING")) {
                    running--;
                }
            }
        }
        if (problem != null) {
            violations.add(id + ": " + problem);
            reply(ex, 400, Map.of("detail", problem));
        } else {
            reply(ex, 200, Map.of("id", id));
        }
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
