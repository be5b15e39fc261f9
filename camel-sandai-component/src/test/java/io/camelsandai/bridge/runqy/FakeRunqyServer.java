package io.camelsandai.bridge.runqy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.camelsandai.codec.PythonJson;

/**
 * The runqy server API of the protocol spec, in process: {@code POST /queue/add} (client/admin key, Bearer or
 * X-API-Key; 401/403/404/400 as the server answers) and {@code GET /queue/{id}[?wait=true]} (public; {@code Info}
 * with runqy's mixed-case members; 404 unknown; 408 after the wait). Tasks "run" by themselves: data
 * {@code options.outcome} = {@code complete} (default; result echoes the options), {@code archive}, {@code retry}
 * (stays in retry), {@code text} (a non-JSON result string); {@code options.delay_ms} before the final state.
 */
public final class FakeRunqyServer implements AutoCloseable {
    public static final String CLIENT_KEY = "client-key-123";
    public static final String WORKER_KEY = "worker-key-456";
    private static final Set<String> QUEUES = Set.of("inference.default");

    private final HttpServer server;
    private final long waitMillis;
    private final Map<String, Map<String, Object>> tasks = new ConcurrentHashMap<>();
    final List<Map<String, String>> seenHeaders = new java.util.concurrent.CopyOnWriteArrayList<>();

    public FakeRunqyServer(long waitMillis) throws IOException {
        this.waitMillis = waitMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/queue/", this::route);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void route(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, String> h = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
            seenHeaders.add(h);
            String path = ex.getRequestURI().getPath();
            if ("POST".equals(ex.getRequestMethod()) && path.equals("/queue/add")) {
                add(ex, h);
            } else if ("GET".equals(ex.getRequestMethod())) {
                get(ex, path.substring("/queue/".length()), "wait=true".equals(ex.getRequestURI().getQuery()));
            } else {
                reply(ex, 404, errors("not found"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void add(HttpExchange ex, Map<String, String> h) throws IOException {
        String auth = h.getOrDefault("authorization", "");
        String key = auth.startsWith("Bearer ") ? auth.substring(7) : h.get("x-api-key");
        if (key == null || !(key.equals(CLIENT_KEY) || key.equals(WORKER_KEY))) {
            reply(ex, 401, errors("access unauthorized"));
            return;
        }
        if (key.equals(WORKER_KEY)) {
            reply(ex, 403, errors("insufficient permissions"));
            return;
        }
        Map<?, ?> body = (Map<?, ?>) PythonJson.decode(ex.getRequestBody().readAllBytes());
        Object q = body.get("queue");
        if (q == null) {
            reply(ex, 400, errors("queue is required"));
            return;
        }
        String queue = AsynqKeys.normalizeQueue(String.valueOf(q));
        if (!QUEUES.contains(queue)) {
            reply(ex, 404, errors("queue not found: " + queue));
            return;
        }
        Object data = body.containsKey("data") ? body.get("data") : flat(body);
        String id = UUID.randomUUID().toString();
        Map<String, Object> task = new ConcurrentHashMap<>();
        task.put("id", id);
        task.put("queue", queue);
        task.put("data", data);
        task.put("created", System.nanoTime());
        tasks.put(id, task);
        Map<String, Object> info = info(task, "pending");
        info.put("payload", Base64.getEncoder().encodeToString(PythonJson.encode(data)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("info", info);
        answer.put("data", data);
        reply(ex, 200, answer);
    }

    private static Map<String, Object> flat(Map<?, ?> body) {
        Map<String, Object> data = new LinkedHashMap<>();
        body.forEach((k, v) -> {
            if (!"queue".equals(k) && !"timeout".equals(k)) {
                data.put(String.valueOf(k), v);
            }
        });
        return data;
    }

    private void get(HttpExchange ex, String id, boolean wait) throws IOException, InterruptedException {
        Map<String, Object> task = tasks.get(id);
        if (task == null) {
            reply(ex, 404, errors("task not found"));
            return;
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        String state = state(task);
        while (wait && !state.equals("completed") && !state.equals("archived")) {
            if (System.nanoTime() > until) {
                reply(ex, 408, errors("timeout waiting for task"));
                return;
            }
            TimeUnit.MILLISECONDS.sleep(20); // the real server polls its Inspector once a second
            state = state(task);
        }
        reply(ex, 200, Map.of("Info", info(task, state)));
    }

    private static Map<?, ?> options(Map<String, Object> task) {
        Object data = task.get("data");
        Object options = data instanceof Map<?, ?> m ? m.get("options") : null;
        return options instanceof Map<?, ?> o ? o : Map.of();
    }

    private static String state(Map<String, Object> task) {
        Map<?, ?> o = options(task);
        long delayMs = o.get("delay_ms") instanceof Number n ? n.longValue() : 0;
        if (System.nanoTime() - (long) task.get("created") < TimeUnit.MILLISECONDS.toNanos(delayMs)) {
            return "active";
        }
        return switch (String.valueOf(o.containsKey("outcome") ? o.get("outcome") : "complete")) {
            case "archive" -> "archived";
            case "retry" -> "retry";
            default -> "completed";
        };
    }

    private static Map<String, Object> info(Map<String, Object> task, String state) {
        Map<?, ?> o = options(task);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", task.get("id"));
        info.put("type", task.get("queue"));
        info.put("payload", new String(PythonJson.encode(task.get("data")), StandardCharsets.UTF_8));
        info.put("state", state);
        info.put("queue", task.get("queue"));
        info.put("max_retry", 3);
        info.put("retried", state.equals("archived") ? 3 : state.equals("retry") ? 1 : 0);
        info.put("LastErr", state.equals("archived") ? "model exploded" : state.equals("retry") ? "GPU busy (will retry)" : "");
        info.put("LastFailedAt", "0001-01-01T00:00:00Z");
        info.put("Deadline", "0001-01-01T00:00:00Z");
        info.put("Group", "");
        info.put("NextProcessAt", "0001-01-01T00:00:00Z");
        info.put("IsOrphaned", false);
        info.put("CompletedAt", "0001-01-01T00:00:00Z");
        Object result = null;
        if (state.equals("completed")) {
            result = "text".equals(o.get("outcome")) ? "plain words"
                    : new String(PythonJson.encode(Map.of("echo", o)), StandardCharsets.UTF_8);
        }
        info.put("Result", result);
        return info;
    }

    private static Map<String, Object> errors(String message) {
        return Map.of("errors", List.of(message));
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = PythonJson.encode(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
