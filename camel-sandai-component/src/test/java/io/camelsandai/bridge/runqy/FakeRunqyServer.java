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
 * The runqy server API of the protocol spec, in process: {@code POST /queue/add} and {@code /queue/add-batch}
 * (client/admin key, Bearer or X-API-Key; 401/403/404/400 as the server answers; {@code queue} must be a string and
 * {@code timeout} a whole number, as Go's decoder insists), {@code GET /queue/{id}[?wait=true]} (public; {@code Info}
 * with runqy's mixed-case members; 404 unknown; 408 after the wait) and {@code POST /worker/register} (worker/admin
 * key; answers the config set with {@link #workerConfig}; errors there are {@code {"error": "..."}}). Tasks "run" by themselves: data
 * {@code options.outcome} = {@code complete} (default; result echoes the options), {@code archive}, {@code retry}
 * (stays in retry), {@code text} (a non-JSON result string); {@code options.delay_ms} before the final state.
 */
public final class FakeRunqyServer implements AutoCloseable {
    public static final String CLIENT_KEY = "client-key-123";
    public static final String WORKER_KEY = "worker-key-456";
    public static final String ADMIN_KEY = "admin-key-789";
    private static final Set<String> QUEUES = Set.of("inference.default");

    private final HttpServer server;
    private final long waitMillis;
    private final Map<String, Map<String, Object>> tasks = new ConcurrentHashMap<>();
    final List<Map<String, String>> seenHeaders = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Map<?, ?>> seenBodies = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Object>> workerConfigs = new ConcurrentHashMap<>();

    public FakeRunqyServer(long waitMillis) throws IOException {
        this.waitMillis = waitMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/queue/", this::route);
        server.createContext("/worker/register", this::register);
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
            } else if ("POST".equals(ex.getRequestMethod()) && path.equals("/queue/add-batch")) {
                addBatch(ex, h);
            } else if ("GET".equals(ex.getRequestMethod())) {
                get(ex, path.substring("/queue/".length()), "wait=true".equals(ex.getRequestURI().getQuery()));
            } else {
                reply(ex, 404, errors("not found"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The role of the request's key (Bearer first, else X-API-Key), or null after answering 401. */
    private static String role(HttpExchange ex, Map<String, String> h) throws IOException {
        String auth = h.getOrDefault("authorization", "");
        String key = auth.startsWith("Bearer ") ? auth.substring(7) : h.get("x-api-key");
        String role = key == null ? null : switch (key) {
            case CLIENT_KEY -> "client";
            case WORKER_KEY -> "worker";
            case ADMIN_KEY -> "admin";
            default -> null;
        };
        if (role == null) {
            reply(ex, 401, errors("access unauthorized"));
        }
        return role;
    }

    private static boolean allowed(HttpExchange ex, String role, String needed) throws IOException {
        if (role == null) {
            return false;
        }
        if (!role.equals("admin") && !role.equals(needed)) {
            reply(ex, 403, errors("insufficient permissions"));
            return false;
        }
        return true;
    }

    /** The body as a JSON object, or null after answering 400 as gin's binder does. */
    private Map<?, ?> body(HttpExchange ex) throws IOException {
        Object body;
        try {
            body = PythonJson.decode(ex.getRequestBody().readAllBytes());
        } catch (RuntimeException e) {
            reply(ex, 400, errors("invalid character in JSON body"));
            return null;
        }
        if (!(body instanceof Map<?, ?> map)) {
            reply(ex, 400, errors("json: cannot unmarshal into Go value of type map[string]json.RawMessage"));
            return null;
        }
        seenBodies.add(map);
        return map;
    }

    /** The queue of an enqueue body, normalised, or null after answering 400/404. */
    private static String queue(HttpExchange ex, Map<?, ?> body) throws IOException {
        Object q = body.get("queue");
        if (q != null && !(q instanceof String)) {
            reply(ex, 400, errors("invalid queue field: json: cannot unmarshal number into Go value of type string"));
            return null;
        }
        if (q == null || ((String) q).isEmpty()) {
            reply(ex, 400, errors("queue is required"));
            return null;
        }
        String queue = AsynqKeys.normalizeQueue((String) q);
        if (!QUEUES.contains(queue)) {
            reply(ex, 404, errors("queue not found: " + queue));
            return null;
        }
        return queue;
    }

    /** Go decodes {@code timeout} into an int64: a fraction or a string is a 400. */
    private static boolean wholeNumber(HttpExchange ex, Object timeout) throws IOException {
        if (timeout == null || timeout instanceof Long || timeout instanceof Integer) {
            return true;
        }
        reply(ex, 400, errors("invalid timeout field: json: cannot unmarshal " + timeout + " into Go value of type int64"));
        return false;
    }

    private void add(HttpExchange ex, Map<String, String> h) throws IOException {
        if (!allowed(ex, role(ex, h), "client")) {
            return;
        }
        Map<?, ?> body = body(ex);
        String queue = body == null ? null : queue(ex, body);
        if (queue == null || !wholeNumber(ex, body.get("timeout"))) {
            return;
        }
        Object data = body.containsKey("data") ? body.get("data") : flat(body);
        Map<String, Object> task = newTask(queue, data);
        Map<String, Object> info = info(task, "pending");
        info.put("payload", Base64.getEncoder().encodeToString(PythonJson.encode(data)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("info", info);
        answer.put("data", data);
        reply(ex, 200, answer);
    }

    /** As the docs describe it: each job's {@code data} is a task; a job without {@code data} fails alone. */
    private void addBatch(HttpExchange ex, Map<String, String> h) throws IOException {
        if (!allowed(ex, role(ex, h), "client")) {
            return;
        }
        Map<?, ?> body = body(ex);
        if (body == null) {
            return;
        }
        if (!(body.get("jobs") instanceof List<?> jobs)) {
            reply(ex, 400, errors("Key: 'BatchTaskRequest.Jobs' Error:Field validation for 'Jobs' failed on the 'required' tag"));
            return;
        }
        String queue = queue(ex, body);
        if (queue == null || !wholeNumber(ex, body.get("timeout"))) {
            return;
        }
        if (jobs.isEmpty()) {
            reply(ex, 400, errors("jobs array cannot be empty"));
            return;
        }
        List<String> ids = new java.util.ArrayList<>();
        List<String> failures = new java.util.ArrayList<>();
        for (Object job : jobs) {
            if (job instanceof Map<?, ?> j && j.get("data") instanceof Map<?, ?> && wholeNumberValue(j.get("timeout"))) {
                Map<String, Object> task = newTask(queue, j.get("data"));
                task.put("timeout", j.get("timeout") != null ? j.get("timeout")
                        : body.get("timeout") != null ? body.get("timeout") : 30L);
                ids.add((String) task.get("id"));
            } else {
                failures.add("job needs a data object and a whole-number timeout: " + PythonJson.encodeToString(job));
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("enqueued", ids.size());
        answer.put("failed", failures.size());
        answer.put("task_ids", ids);
        answer.put("errors", failures);
        reply(ex, 200, answer);
    }

    private static boolean wholeNumberValue(Object v) {
        return v == null || v instanceof Long || v instanceof Integer;
    }

    private Map<String, Object> newTask(String queue, Object data) {
        String id = UUID.randomUUID().toString();
        Map<String, Object> task = new ConcurrentHashMap<>();
        task.put("id", id);
        task.put("queue", queue);
        task.put("data", data);
        task.put("created", System.nanoTime());
        tasks.put(id, task);
        return task;
    }

    /** The task as stored, for assertions ({@code data}, {@code queue}, {@code timeout} of batch jobs). */
    Map<String, Object> task(String id) {
        return tasks.get(id);
    }

    /**
     * What {@code POST /worker/register} answers for parent queue {@code parent} (the request's {@code queue}):
     * redis {@code addr/password/db/use_tls}, {@code queue {name, priority}}, {@code sub_queues} (name to
     * priority, in order) and {@code deployment.redis_storage}.
     */
    public void workerConfig(String parent, String redisAddr, String password, int db, boolean tls,
                             Map<String, Integer> subQueues, boolean redisStorage) {
        Map<String, Object> redis = new LinkedHashMap<>();
        redis.put("addr", redisAddr);
        redis.put("password", password);
        redis.put("use_tls", tls);
        redis.put("db", db);
        List<Map<String, Object>> subs = new java.util.ArrayList<>();
        subQueues.forEach((name, priority) -> subs.add(Map.of("name", name, "priority", priority)));
        Map<String, Object> deployment = new LinkedHashMap<>();
        deployment.put("git_url", "https://example.invalid/handlers.git");
        deployment.put("branch", "main");
        deployment.put("startup_cmd", "python main.py");
        deployment.put("mode", "long_running");
        deployment.put("startup_timeout_secs", 300);
        deployment.put("redis_storage", redisStorage);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("redis", redis);
        answer.put("queue", Map.of("name", parent, "priority", subQueues.values().stream().findFirst().orElse(1)));
        answer.put("sub_queues", subs);
        answer.put("deployment", deployment);
        workerConfigs.put(parent, answer);
    }

    private void register(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, String> h = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
            seenHeaders.add(h);
            if (!"POST".equals(ex.getRequestMethod())) {
                reply(ex, 404, errors("not found"));
                return;
            }
            if (!allowed(ex, role(ex, h), "worker")) {
                return;
            }
            Map<?, ?> body = body(ex);
            if (body == null) {
                return;
            }
            if (!(body.get("queue") instanceof String queue) || queue.isEmpty()) {
                reply(ex, 400, Map.of("error", "queue name is required"));
                return;
            }
            Map<String, Object> config = workerConfigs.get(queue);
            if (config == null) {
                reply(ex, 404, Map.of("error", "queue '" + queue + "' not found"));
                return;
            }
            reply(ex, 200, config);
        }
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
                reply(ex, 408, errors("timeout waiting for task result"));
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
