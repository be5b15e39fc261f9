package io.camelsandai.bridge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.codec.TaskEnvelope;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.Priority;

/**
 * A small Sandai operator for tests, serving the operator queue protocol on a real Redis: BRPOP on the four
 * priority queues (strict order), decode the Celery envelope, honour deadline and cancel key (after taking the task
 * and again right before compute), and store the result as the Celery worker does (MULTI SETEX + PUBLISH).
 *
 * <p>Behaviour per task, from its options: {@code mode} = echo (default) | fail | fail_retryable | invalid | crash |
 * progress; {@code sleep_ms} = compute time; {@code prepare_ms} = time between taking the task and the last cancel
 * check.
 */
public final class FakeOperator implements AutoCloseable {
    private final String host;
    private final int port;
    private final String name;
    private final String version;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    private final AtomicInteger computing = new AtomicInteger();
    private final AtomicInteger maxComputing = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final Map<String, String> outcomes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> laneNow = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> laneMax = new ConcurrentHashMap<>();

    public FakeOperator(String host, int port, String name, String version, int consumers) {
        this.host = host;
        this.port = port;
        this.name = name;
        this.version = version;
        for (int i = 0; i < consumers; i++) {
            Thread t = new Thread(this::consume, "fake-operator-" + name + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    public int maxComputing() {
        return maxComputing.get();
    }

    /** The most tasks with option {@code lane} = {@code lane} that computed at the same time. */
    public int maxComputingIn(String lane) {
        AtomicInteger max = laneMax.get(lane);
        return max == null ? 0 : max.get();
    }

    public int finished() {
        return finished.get();
    }

    /** Celery task id -> status the operator answered. */
    public Map<String, String> outcomes() {
        return outcomes;
    }

    private void consume() {
        String[] queues = new String[Priority.values().length];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = Priority.values()[i].queueFor(name, version);
        }
        while (running) {
            try (Jedis jedis = new Jedis(host, port)) {
                while (running) {
                    List<String> popped = jedis.brpop(1, queues);
                    if (popped != null && popped.size() == 2) {
                        handle(jedis, popped.get(1));
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    pause(100);
                }
            }
        }
    }

    private void handle(Jedis jedis, String raw) {
        TaskEnvelope envelope = TaskEnvelope.parse(raw);
        String id = envelope.taskId();
        OperatorRequest request = OperatorRequest.fromKwargs(envelope.decodeBody().kwargs());
        Map<String, Object> options = request.options();
        String cancelKey = request.meta().cancelKey();
        if (request.meta().isPastDeadline(System.currentTimeMillis() / 1000.0)) {
            store(jedis, id, structured("deadline_exceeded", Map.of(), error("DeadlineExceeded", "too late", false)));
            return;
        }
        if (isCancelled(jedis, cancelKey)) {
            store(jedis, id, structured("cancelled", Map.of(), error("TaskCancelled", "cancelled", false)));
            return;
        }
        pause(number(options.get("prepare_ms")));
        if (isCancelled(jedis, cancelKey)) {
            store(jedis, id, structured("cancelled", Map.of(), error("TaskCancelled", "cancelled before compute", false)));
            return;
        }
        int now = computing.incrementAndGet();
        maxComputing.accumulateAndGet(now, Math::max);
        String lane = options.get("lane") == null ? null : String.valueOf(options.get("lane"));
        if (lane != null) {
            int inLane = laneNow.computeIfAbsent(lane, k -> new AtomicInteger()).incrementAndGet();
            laneMax.computeIfAbsent(lane, k -> new AtomicInteger()).accumulateAndGet(inLane, Math::max);
        }
        try {
            String mode = String.valueOf(options.getOrDefault("mode", "echo"));
            if ("progress".equals(mode)) {
                Map<String, Object> progress = new LinkedHashMap<>();
                progress.put("progress", 50);
                progress.put("message", "half way");
                storeMeta(jedis, ResultMeta.of(id, CeleryState.PROGRESS, progress, null));
            }
            pause(number(options.get("sleep_ms")));
            switch (mode) {
                case "fail" -> store(jedis, id, structured("failed", Map.of(), error("BoomError", "boom", false)));
                case "fail_retryable" -> store(jedis, id, structured("failed", Map.of(),
                        error("UpstreamUnavailable", "try again", true)));
                case "invalid" -> store(jedis, id, structured("failed", Map.of(),
                        error("InvalidInput", "option 'x' is required", false)));
                case "crash" -> {
                    Map<String, Object> exc = new LinkedHashMap<>();
                    exc.put("exc_type", "RuntimeError");
                    exc.put("exc_message", List.of("crashed"));
                    exc.put("exc_module", "builtins");
                    storeMeta(jedis, ResultMeta.of(id, CeleryState.FAILURE, exc, "Traceback: crashed"));
                }
                default -> {
                    Map<String, Object> results = new LinkedHashMap<>();
                    results.put("echo", new LinkedHashMap<>(options));
                    results.put("inputs", request.inputArtifacts().size());
                    Map<String, Object> out = structured("success", results, null);
                    Map<String, Object> artifact = new LinkedHashMap<>();
                    artifact.put("uri", "s3://out/" + id + ".txt");
                    artifact.put("slot", "out");
                    artifact.put("size", 3);
                    out.put("artifacts", List.of(artifact));
                    store(jedis, id, out);
                }
            }
        } finally {
            computing.decrementAndGet();
            if (lane != null) {
                laneNow.get(lane).decrementAndGet();
            }
        }
    }

    private static boolean isCancelled(Jedis jedis, String cancelKey) {
        return cancelKey != null && jedis.exists("sandai:cancel:" + cancelKey);
    }

    private static Map<String, Object> structured(String status, Map<String, Object> results, Map<String, Object> error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("artifacts", new ArrayList<>());
        m.put("results", results);
        if (error != null) {
            m.put("error", error);
        }
        return m;
    }

    private static Map<String, Object> error(String type, String message, boolean retryable) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("message", message);
        e.put("retryable", retryable);
        return e;
    }

    private void store(Jedis jedis, String id, Map<String, Object> result) {
        storeMeta(jedis, ResultMeta.of(id, CeleryState.SUCCESS, result, null));
    }

    private void storeMeta(Jedis jedis, ResultMeta meta) {
        byte[] key = ("celery-task-meta-" + meta.taskId()).getBytes(StandardCharsets.UTF_8);
        byte[] value = meta.encode(ContentType.JSON);
        Transaction tx = jedis.multi();
        tx.setex(key, 3600, value);
        tx.publish(key, value);
        tx.exec();
        if (meta.isFinal()) {
            Object status = meta.result() instanceof Map<?, ?> m ? m.get("status") : meta.status();
            outcomes.put(meta.taskId(), String.valueOf(status));
            finished.incrementAndGet();
        }
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            TimeUnit.MILLISECONDS.sleep(millis); // simulated compute time of the fake operator, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(t -> {
            try {
                t.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
