package io.camelsandai.bridge.runqy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.camelsandai.codec.MalformedMessageException;
import io.camelsandai.codec.PythonJson;

/**
 * The runqy server HTTP API, as runqy-python's {@code RunqyClient} uses it: {@code POST /queue/add} and
 * {@code GET /queue/{id}[?wait=true]}, plus {@code POST /queue/add-batch}. Errors: 401 {@link AuthenticationException}, 404
 * {@link TaskNotFoundException} (also an unknown queue on enqueue), other statuses {@link RunqyException}
 * {@code "HTTP <code>: <body>"}, no connection {@link RunqyException} {@code "Connection error: ..."}.
 * Thread-safe. The API key is sent on every call (status reads too) and never shown.
 */
public final class RunqyClient {
    /** How the key is sent. */
    public enum Auth { BEARER, X_API_KEY }

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TASK_TIMEOUT = Duration.ofSeconds(300);
    /** The server long-polls for up to 30 s on {@code wait=true}; the request must outlive that. */
    private static final Duration WAIT_REQUEST_TIMEOUT = Duration.ofSeconds(45);

    private final URI baseUrl;
    private final String apiKey;
    private final Auth auth;
    private final Duration requestTimeout;
    private final HttpClient http;

    public RunqyClient(String baseUrl, String apiKey) {
        this(baseUrl, apiKey, Auth.BEARER, DEFAULT_REQUEST_TIMEOUT);
    }

    public RunqyClient(String baseUrl, String apiKey, Auth auth, Duration requestTimeout) {
        String b = Objects.requireNonNull(baseUrl, "baseUrl");
        this.baseUrl = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.apiKey = apiKey;
        this.auth = Objects.requireNonNull(auth, "auth");
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public RunqyTaskInfo enqueue(String queue, Map<String, Object> data) {
        return join(enqueueAsync(queue, data, DEFAULT_TASK_TIMEOUT));
    }

    public RunqyTaskInfo enqueue(String queue, Map<String, Object> data, Duration timeout) {
        return join(enqueueAsync(queue, data, timeout));
    }

    /** {@code POST /queue/add {"queue", "timeout" (seconds), "data"}}; the answer's {@code info}. */
    public CompletableFuture<RunqyTaskInfo> enqueueAsync(String queue, Map<String, Object> data, Duration timeout) {
        Map<String, Object> sent = data == null ? Map.of() : data;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("queue", queue);
        body.put("timeout", timeout.getSeconds());
        body.put("data", sent);
        return send(post("/queue/add", body))
                .thenApply(r -> RunqyTaskInfo.fromEnqueueResponse(checked(r), queue, sent));
    }

    /** One job of a batch: its data and, optionally, its own {@code timeout} (null = the batch's). */
    public record BatchJob(Map<String, Object> data, Duration timeout) {
        public BatchJob {
            data = data == null ? Map.of() : data;
        }

        public static BatchJob of(Map<String, Object> data) {
            return new BatchJob(data, null);
        }
    }

    public RunqyBatchResult enqueueBatch(String queue, List<BatchJob> jobs, Duration timeout) {
        return join(enqueueBatchAsync(queue, jobs, timeout));
    }

    /**
     * {@code POST /queue/add-batch {"queue", "timeout" (seconds), "jobs": [{"data", "timeout"?}, ...]}} (client or
     * admin key). A job the server could not enqueue is counted in {@link RunqyBatchResult#failed()}, not thrown.
     *
     * @throws IllegalArgumentException when {@code jobs} is empty (the server refuses it with 400)
     */
    public CompletableFuture<RunqyBatchResult> enqueueBatchAsync(String queue, List<BatchJob> jobs, Duration timeout) {
        if (jobs == null || jobs.isEmpty()) {
            throw new IllegalArgumentException("a runqy batch needs at least one job");
        }
        List<Map<String, Object>> list = new ArrayList<>(jobs.size());
        for (BatchJob job : jobs) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("data", job.data());
            if (job.timeout() != null) {
                j.put("timeout", job.timeout().getSeconds());
            }
            list.add(j);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("queue", Objects.requireNonNull(queue, "queue"));
        body.put("timeout", timeout.getSeconds());
        body.put("jobs", list);
        return send(post("/queue/add-batch", body)).thenApply(r -> RunqyBatchResult.fromResponse(checked(r)));
    }

    /** {@code GET /queue/{id}}. */
    public RunqyTaskInfo getTask(String taskId) {
        return join(getTaskAsync(taskId));
    }

    public CompletableFuture<RunqyTaskInfo> getTaskAsync(String taskId) {
        return send(request("/queue/" + encode(taskId), requestTimeout).GET().build())
                .thenApply(r -> RunqyTaskInfo.fromStatusResponse(checked(r), taskId));
    }

    /**
     * {@code GET /queue/{id}?wait=true}: the server waits (up to 30 s) for completed or archived. Empty when it
     * answered 408 (not final yet).
     */
    public Optional<RunqyTaskInfo> waitTask(String taskId) {
        return join(waitTaskAsync(taskId));
    }

    public CompletableFuture<Optional<RunqyTaskInfo>> waitTaskAsync(String taskId) {
        Duration timeout = requestTimeout.compareTo(WAIT_REQUEST_TIMEOUT) > 0 ? requestTimeout : WAIT_REQUEST_TIMEOUT;
        return send(request("/queue/" + encode(taskId) + "?wait=true", timeout).GET().build())
                .thenApply(r -> r.statusCode() == 408 ? Optional.empty()
                        : Optional.of(RunqyTaskInfo.fromStatusResponse(checked(r), taskId)));
    }

    private HttpRequest post(String path, Object body) {
        return request(path, requestTimeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(PythonJson.encode(body))).build();
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Accept", "application/json");
        if (apiKey != null && !apiKey.isEmpty()) {
            if (auth == Auth.BEARER) {
                b.header("Authorization", "Bearer " + apiKey);
            } else {
                b.header("X-API-Key", apiKey);
            }
        }
        return b;
    }

    private CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((r, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                throw new CompletionException(new RunqyException("Connection error: " + cause, cause));
            }
            return r;
        });
    }

    private static Object checked(HttpResponse<byte[]> r) {
        String text = new String(r.body(), StandardCharsets.UTF_8);
        int code = r.statusCode();
        if (code == 401) {
            throw new AuthenticationException("HTTP 401: " + text);
        }
        if (code == 404) {
            throw new TaskNotFoundException("HTTP 404: " + text);
        }
        if (code < 200 || code >= 300) {
            throw new RunqyException(code, "HTTP " + code + ": " + text);
        }
        try {
            return PythonJson.decode(r.body());
        } catch (MalformedMessageException e) {
            throw new RunqyException(code, "HTTP " + code + ": answer is not JSON: " + text);
        }
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return "RunqyClient[" + baseUrl + " auth=" + auth + (apiKey == null ? " no key" : " key=***") + "]";
    }

}
