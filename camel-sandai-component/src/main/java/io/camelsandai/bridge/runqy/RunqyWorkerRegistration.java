package io.camelsandai.bridge.runqy;

import java.io.IOException;
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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelsandai.codec.HostName;
import io.camelsandai.codec.MalformedMessageException;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.transport.RedisUrl;

/**
 * runqy-worker's handshake, {@code POST /worker/register} with a worker (or admin) key: request
 * {@code {"queue": <parent>, "hostname", "os", "version"}}, answer {@code {"redis": {"addr", "password", "db",
 * "use_tls"}, "queue": {"name", "priority"}, "sub_queues": [{"name", "priority"}], "deployment": {...,
 * "redis_storage"}, ...}}. Only what a Sandai bridge needs is kept: the Redis connection, the sub-queues with their
 * priorities and {@code redis_storage}; the code deployment, vaults and git token are ignored.
 *
 * <p>The Redis password only ever lives inside the {@link RedisUrl} (whose {@code toString} masks it); no message
 * built here quotes a successful answer's body.
 */
public final class RunqyWorkerRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(RunqyWorkerRegistration.class);
    /** runqy-worker's HTTP timeout for the handshake. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One sub-queue the server assigns, e.g. {@code inference.high} with priority 10. */
    public record SubQueue(String name, int priority) {
    }

    /**
     * What the server answered for one parent queue.
     *
     * @param redisStorage {@code deployment.redis_storage}; null when the answer has no deployment
     */
    public record Registration(RedisUrl redis, String queue, int priority, List<SubQueue> subQueues,
            Boolean redisStorage) {
        public Registration {
            subQueues = List.copyOf(subQueues);
        }

        @Override
        public String toString() {
            return "Registration[" + redis + " " + queue + " " + subQueues + "]"; // RedisUrl masks the password
        }
    }

    /** The outcome of registering every parent queue a worker is configured with. */
    public record Assignment(RedisUrl redis, List<SubQueue> subQueues, Boolean redisStorage) {
        public Assignment {
            subQueues = List.copyOf(subQueues);
        }

        @Override
        public String toString() {
            return "Assignment[" + redis + " " + subQueues + "]";
        }
    }

    private RunqyWorkerRegistration() {
    }

    /**
     * runqy-worker's queue rules: a configured {@code inference} takes every sub-queue the server lists for it, a
     * configured {@code inference.high} only that one (both register parent {@code inference}, once). Every parent
     * must be served by the same Redis.
     *
     * @throws RunqyException when a registration fails, the parents disagree on Redis, or no sub-queue is left
     */
    public static Assignment assign(URI serverUrl, String workerKey, List<String> configured, String version) {
        Map<String, List<String>> byParent = new LinkedHashMap<>(); // parent -> specific sub-queues; empty = all
        Map<String, Boolean> listenAll = new LinkedHashMap<>();
        for (String q : configured) {
            String parent = parentOf(q);
            byParent.computeIfAbsent(parent, k -> new ArrayList<>());
            if (parent.equals(q)) {
                listenAll.put(parent, true);
            } else {
                byParent.get(parent).add(q);
            }
        }
        RedisUrl redis = null;
        Boolean storage = null;
        List<SubQueue> chosen = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byParent.entrySet()) {
            Registration r = register(serverUrl, workerKey, e.getKey(), version);
            if (redis != null && !redis.equals(r.redis())) {
                throw new RunqyException(200, "runqy server gave parent queues " + byParent.keySet()
                                              + " different Redis servers; run one worker per Redis");
            }
            redis = r.redis();
            storage = storage == null ? r.redisStorage() : storage;
            boolean all = listenAll.getOrDefault(e.getKey(), false);
            for (SubQueue sq : r.subQueues()) {
                if (all || e.getValue().contains(sq.name())) {
                    chosen.add(sq);
                }
            }
            if (!all) {
                for (String wanted : e.getValue()) {
                    if (r.subQueues().stream().noneMatch(sq -> sq.name().equals(wanted))) {
                        LOG.warn("runqy sub-queue {} is not among those the server lists for {}: {}", wanted,
                                e.getKey(), r.subQueues());
                    }
                }
            }
        }
        if (chosen.isEmpty()) {
            throw new RunqyException(200, "runqy server lists none of the configured queues " + configured);
        }
        return new Assignment(redis, chosen, storage);
    }

    /**
     * Registers for parent queue {@code parent} ({@code inference}, not {@code inference.high}).
     *
     * @throws AuthenticationException on 401, {@link RunqyException} with the status and the server's error text on
     *                                 other refusals, or when the answer lacks {@code redis.addr}
     */
    public static Registration register(URI serverUrl, String workerKey, String parent, String version) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("queue", parent);
        body.put("hostname", HostName.get());
        body.put("os", goos());
        body.put("version", version == null || version.isBlank() ? "dev" : version);
        String base = serverUrl.toString().replaceAll("/+$", "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/worker/register")).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(PythonJson.encode(body)));
        if (workerKey != null && !workerKey.isEmpty()) {
            request.header("Authorization", "Bearer " + workerKey);
        }
        HttpResponse<byte[]> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RunqyException("Connection error: runqy worker registration at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunqyException("Connection error: interrupted while registering at " + base, e);
        }
        int code = response.statusCode();
        if (code != 200) {
            String why = "runqy worker registration for queue " + parent + " refused: HTTP " + code + ": "
                         + errorText(response.body());
            if (code == 401) {
                throw new AuthenticationException(why);
            }
            throw new RunqyException(code, why);
        }
        return parse(response.body(), parent);
    }

    /** The answer, read without ever quoting it (it carries the Redis password). */
    static Registration parse(byte[] answer, String parent) {
        Object decoded;
        try {
            decoded = PythonJson.decode(answer);
        } catch (MalformedMessageException e) {
            throw new RunqyException(200, "runqy worker registration for queue " + parent + ": answer is not JSON");
        }
        Map<?, ?> root = decoded instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> redis = map(root.get("redis"));
        String addr = text(redis.get("addr"));
        if (addr == null) {
            throw new RunqyException(200, "runqy worker registration for queue " + parent + ": answer has no redis.addr");
        }
        RedisUrl url = redisUrl(addr, text(redis.get("password")), number(redis.get("db"), 0),
                Boolean.TRUE.equals(redis.get("use_tls")), parent);
        Map<?, ?> queue = map(root.get("queue"));
        String name = text(queue.get("name")) != null ? text(queue.get("name")) : parent;
        int priority = number(queue.get("priority"), 1);
        List<SubQueue> subs = new ArrayList<>();
        if (root.get("sub_queues") instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> sq = map(o);
                if (text(sq.get("name")) != null) {
                    subs.add(new SubQueue(text(sq.get("name")), number(sq.get("priority"), 1)));
                }
            }
        }
        if (subs.isEmpty()) {
            // runqy-worker's fallback for servers that send no sub_queues
            subs.add(new SubQueue(AsynqKeys.normalizeQueue(name), priority));
        }
        Object storage = map(root.get("deployment")).get("redis_storage");
        return new Registration(url, name, priority, subs, storage instanceof Boolean b ? b : null);
    }

    /** {@code host:port} plus credentials as a RedisUrl; an unusable address is reported without the password. */
    static RedisUrl redisUrl(String addr, String password, int db, boolean tls, String parent) {
        StringBuilder url = new StringBuilder(tls ? "rediss://" : "redis://");
        if (password != null && !password.isEmpty()) {
            url.append(':').append(URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20")).append('@');
        }
        url.append(addr).append('/').append(db);
        try {
            return RedisUrl.parse(url.toString());
        } catch (IllegalArgumentException e) {
            throw new RunqyException(200, "runqy worker registration for queue " + parent
                                          + ": unusable redis.addr '" + addr + "' (expected host:port)");
        }
    }

    private static String errorText(byte[] body) {
        try {
            Object decoded = PythonJson.decode(body);
            if (decoded instanceof Map<?, ?> m) {
                if (m.get("errors") instanceof List<?> l && !l.isEmpty()) {
                    return String.valueOf(l.get(0)); // the API's usual shape (auth middleware)
                }
                if (m.get("error") != null) {
                    return String.valueOf(m.get("error")); // the handshake's own shape
                }
            }
        } catch (MalformedMessageException e) {
            // fall through
        }
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return s.isBlank() ? "(no body)" : s;
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String text(Object o) {
        return o == null || String.valueOf(o).isBlank() ? null : String.valueOf(o);
    }

    private static int number(Object o, int dflt) {
        return o instanceof Number n ? n.intValue() : dflt;
    }


    /** Go's {@code runtime.GOOS} spelling, as runqy-worker reports it. */
    static String goos() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            return "windows";
        }
        if (os.contains("mac") || os.contains("darwin")) {
            return "darwin";
        }
        return os.isEmpty() ? "linux" : os.split("\\s+")[0];
    }

    /** The parent of a queue name: {@code inference.high} -> {@code inference}. */
    static String parentOf(String queue) {
        int dot = Objects.requireNonNull(queue).indexOf('.');
        return dot > 0 ? queue.substring(0, dot) : queue;
    }
}
