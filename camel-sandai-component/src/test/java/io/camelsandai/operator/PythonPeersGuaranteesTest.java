package io.camelsandai.operator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.testsupport.CeleryWorker;
import io.camelsandai.testsupport.CeleryWorkerOptions;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.testsupport.SendTask;
import io.camelsandai.testsupport.SendTaskResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's delivery guarantees (strict priority order, {@code concurrency}, graceful stop) with stock Python
 * Celery 5.2 on both sides of the Java runtime: tasks sent by Celery's own client, and a Celery worker taking from
 * the same queues at the same time. Both workers record every run (Python: the {@code record_runs} option of
 * {@code sandai_test_worker.py}), so the tests see who ran what, in which order, and how often.
 */
class PythonPeersGuaranteesTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery python = PythonCelery.create();

    /** The Redis list the Python worker appends its runs to. */
    private static final String RUNS = "test:python-runs";

    private RuntimeFixture fx;

    @BeforeEach
    void setUp() {
        fx = new RuntimeFixture(redis);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    /** A Java run: the task, when it started, when it ended. */
    private record Run(String id, long start, long end) {
    }

    /** Java's side: records each run and answers after {@code work}, without holding a pool thread meanwhile. */
    private static OperatorHandler recording(List<Run> runs, Duration work, AtomicInteger running,
                                             AtomicInteger maxRunning) {
        return task -> {
            long start = System.nanoTime();
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            return CompletableFuture.supplyAsync(() -> {
                running.decrementAndGet();
                runs.add(new Run(task.taskId(), start, System.nanoTime()));
                return OperatorResult.success(List.of(), Map.of("worker", "java"));
            }, CompletableFuture.delayedExecutor(work.toMillis(), TimeUnit.MILLISECONDS));
        };
    }

    /** The Python worker's runs, in the order they started. */
    private List<Map<?, ?>> pythonRuns() {
        List<Map<?, ?>> runs = new ArrayList<>();
        for (String line : fx.jedis.lrange(RUNS, 0, -1)) {
            runs.add((Map<?, ?>) PythonJson.decode(line));
        }
        runs.sort(Comparator.comparingDouble(r -> ((Number) r.get("start")).doubleValue()));
        return runs;
    }

    private static List<String> ids(List<Map<?, ?>> pythonRuns) {
        return pythonRuns.stream().map(r -> (String) r.get("id")).toList();
    }

    /** Every task ran exactly once over both workers, by the worker its result names. */
    private void assertExactlyOnce(List<String> ids, List<String> javaRan, List<String> pythonRan) {
        Map<String, Integer> runs = new HashMap<>();
        javaRan.forEach(id -> runs.merge(id, 1, Integer::sum));
        pythonRan.forEach(id -> runs.merge(id, 1, Integer::sum));
        assertEquals(ids.size(), runs.size(), "runs of tasks that were never sent: " + runs.keySet());
        for (String id : ids) {
            assertEquals(1, runs.getOrDefault(id, 0), "runs of task " + id);
            ResultMeta meta = fx.result(id);
            assertEquals(CeleryState.SUCCESS, meta.status(), id);
            Map<?, ?> results = (Map<?, ?>) RuntimeFixture.resultMap(meta).get("results");
            assertEquals(javaRan.contains(id), "java".equals(results.get("worker")), "who answered " + id);
        }
        assertFalse(javaRan.isEmpty(), "the Java worker took part");
        assertFalse(pythonRan.isEmpty(), "the Python worker took part");
    }

    @Test
    void eachWorkerDrainsInStrictPriorityOrderWithPythonOnTheSameQueues() {
        // the Celery client fills the four queues, lowest priority first, before any worker runs
        Map<String, Integer> rank = new HashMap<>();
        List<String> ids = new ArrayList<>();
        List<Priority> sendOrder = new ArrayList<>(List.of(Priority.values()));
        Collections.reverse(sendOrder);
        for (Priority p : sendOrder) {
            SendTaskResult sent = python.sendTask(SendTask.to(redis, RuntimeFixture.queue(p))
                    .kwargs(Map.of("options", Map.of("sleep", 0.1, "record_runs", RUNS))).count(8).noWait());
            sent.ids().forEach(id -> rank.put(id, p.ordinal()));
            ids.addAll(sent.ids());
        }
        assertEquals(32, ids.size());
        List<Run> java = Collections.synchronizedList(new ArrayList<>());
        try (CeleryWorker worker = python.startWorker(CeleryWorkerOptions.builder().redis(redis)
                .operator(RuntimeFixture.OPERATOR, RuntimeFixture.VERSION).acksLate(true).concurrency(1).build())) {
            // one task at a time each (Python's solo pool runs what it prefetched in the order it took it): a
            // worker's run order is its take order
            fx.start(b -> b.concurrency(1), recording(java, Duration.ofMillis(200), new AtomicInteger(),
                    new AtomicInteger()));
            for (String id : ids) {
                fx.awaitFinal(id, Duration.ofSeconds(60));
            }
        }
        List<String> javaOrder = java.stream().sorted(Comparator.comparingLong(Run::start)).map(Run::id).toList();
        List<String> pythonOrder = ids(pythonRuns());
        assertExactlyOnce(ids, javaOrder, pythonOrder);
        assertNonDecreasing("Java", javaOrder.stream().map(rank::get).toList());
        assertNonDecreasing("Python", pythonOrder.stream().map(rank::get).toList());
    }

    private static void assertNonDecreasing(String worker, List<Integer> ranks) {
        for (int i = 1; i < ranks.size(); i++) {
            assertTrue(ranks.get(i - 1) <= ranks.get(i), worker + " took a lower priority before a higher one "
                                                         + "(0 = high): " + ranks);
        }
    }

    @Test
    void javaRunsExactlyConcurrencyTasksAtOnceBesideAPythonWorker() {
        List<Run> java = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        SendTaskResult answered;
        try (CeleryWorker worker = python.startWorker(CeleryWorkerOptions.builder().redis(redis)
                .operator(RuntimeFixture.OPERATOR, RuntimeFixture.VERSION).acksLate(true)
                .pool(CeleryWorkerOptions.Pool.THREADS).concurrency(2).prefetchMultiplier(1).build())) {
            fx.start(b -> b.concurrency(3), recording(java, Duration.ofMillis(300), running, maxRunning));
            // the Celery client sends all 30, then reads every result with AsyncResult.get()
            answered = python.sendTask(SendTask.to(redis, RuntimeFixture.queue(Priority.NORMAL))
                    .kwargs(Map.of("options", Map.of("sleep", 0.3, "record_runs", RUNS))).count(30)
                    .timeout(Duration.ofSeconds(60)));
        }
        assertEquals(30, answered.lines().size(), answered.toString());
        for (JsonNode line : answered.lines()) {
            assertEquals("SUCCESS", line.at("/state").asText(), line.toString());
            assertEquals("success", line.at("/result/status").asText(), line.toString());
        }
        assertEquals(3, maxRunning.get(), "Java ran exactly `concurrency` tasks at once at its peak, never more");
        List<Map<?, ?>> py = pythonRuns();
        assertTrue(maxOverlap(py) <= 2, "the Python worker ran at most its own concurrency at once");
        assertExactlyOnce(answered.ids(), java.stream().map(Run::id).toList(), ids(py));
    }

    /** The most runs in progress at one instant. */
    private static int maxOverlap(List<Map<?, ?>> runs) {
        List<double[]> events = new ArrayList<>();
        for (Map<?, ?> r : runs) {
            events.add(new double[] {((Number) r.get("start")).doubleValue(), 1});
            events.add(new double[] {((Number) r.get("end")).doubleValue(), -1});
        }
        // at equal times an end comes first: back-to-back runs do not overlap
        events.sort(Comparator.<double[]>comparingDouble(e -> e[0]).thenComparingDouble(e -> e[1]));
        int now = 0;
        int max = 0;
        for (double[] e : events) {
            now += (int) e[1];
            max = Math.max(max, now);
        }
        return max;
    }

    @Test
    void gracefulStopFinishesWhatRunsAndHandsTheRestToAPythonWorker() throws Exception {
        List<String> ids = List.of("stop-1", "stop-2", "stop-3", "stop-4", "stop-5", "stop-6");
        CompletableFuture<OperatorResult> finishOnStop = new CompletableFuture<>();
        List<String> javaStarted = Collections.synchronizedList(new ArrayList<>());
        // stop-1 finishes once the stop has begun; stop-2 outlives the shutdown timeout
        OperatorRuntime r = fx.start(b -> b.concurrency(2).shutdownTimeout(Duration.ofSeconds(2)), task -> {
            javaStarted.add(task.taskId());
            return task.taskId().equals("stop-1") ? finishOnStop : new CompletableFuture<>();
        });
        await().atMost(Duration.ofSeconds(10)).until(r::isWakeupTracking);
        SendTask send = SendTask.to(redis, RuntimeFixture.queue(Priority.NORMAL)).timeout(Duration.ofSeconds(90));
        for (String id : ids) {
            send.taskId(id).kwargs(Map.of("options", Map.of("record_runs", RUNS)));
        }
        // the Celery client sends the six in order, then waits for each result
        CompletableFuture<SendTaskResult> client = CompletableFuture.supplyAsync(() -> python.sendTask(send));
        String queue = RuntimeFixture.queue(Priority.NORMAL);
        await().atMost(Duration.ofSeconds(30)).until(() -> javaStarted.size() == 2 && fx.jedis.llen(queue) == 4);
        assertEquals(Set.of("stop-1", "stop-2"), Set.copyOf(javaStarted), "Java took the first two");

        CompletableFuture<Void> closing = CompletableFuture.runAsync(r::close);
        await().atMost(Duration.ofSeconds(5)).until(() -> !r.isLoopAlive());
        finishOnStop.complete(OperatorResult.success(List.of(), Map.of("worker", "java")));
        closing.get(30, TimeUnit.SECONDS);

        // stop-1 finished within the shutdown timeout; stop-2 went back to the consuming end of its queue
        assertEquals(CeleryState.SUCCESS, fx.result("stop-1").status());
        assertNull(fx.result("stop-2"));
        List<String> waiting = fx.jedis.lrange(queue, 0, -1);
        assertEquals(5, waiting.size());
        assertTrue(waiting.get(4).contains("stop-2"), "the returned task is taken next: " + waiting.get(4));

        SendTaskResult answered;
        try (CeleryWorker worker = python.startWorker(CeleryWorkerOptions.builder().redis(redis)
                .operator(RuntimeFixture.OPERATOR, RuntimeFixture.VERSION).acksLate(true).concurrency(1).build())) {
            answered = client.get(90, TimeUnit.SECONDS);
        }
        assertEquals(ids, answered.ids());
        assertEquals("java", answered.byId("stop-1").at("/result/results/worker").asText(), answered.toString());
        for (String id : ids.subList(1, ids.size())) {
            assertEquals("success", answered.byId(id).at("/result/status").asText(), answered.toString());
            assertTrue(answered.byId(id).at("/result/results/worker").asText().startsWith("sandai-test-"),
                    answered.toString());
        }
        // Python ran the returned task first, then the ones that had waited; nobody ran stop-1 twice
        assertEquals(ids.subList(1, ids.size()), ids(pythonRuns()));
    }
}
