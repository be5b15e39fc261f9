package io.camelsandai.operator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.KombuKeys;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java runtime against stock Python Celery 5.2: its client, and its worker on the same queues. */
class PythonInteropRuntimeTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery python = PythonCelery.create();

    private RuntimeFixture fx;

    @BeforeEach
    void setUp() {
        fx = new RuntimeFixture(redis);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static OperatorHandler javaWorker(Set<String> ran) {
        return task -> {
            if (!ran.add(task.taskId())) {
                throw new IllegalStateException("ran twice: " + task.taskId());
            }
            if (task.request().options().containsKey("explode")) {
                throw new OperatorFailure("Exploded", "as asked", false);
            }
            return CompletableFuture.completedFuture(OperatorResult.success(List.of(),
                    Map.of("worker", "java", "options", task.request().options())));
        };
    }

    @Test
    void stockCeleryClientReadsResultsWithAsyncResultGetInBothSerializers() {
        Set<String> ran = ConcurrentHashMap.newKeySet();
        fx.start(b -> b.concurrency(2), javaWorker(ran));
        for (String serializer : List.of("msgpack", "json")) {
            SendTaskResult r = python.sendTask(SendTask.to(redis, RuntimeFixture.queue(Priority.HIGH))
                    .serializer(serializer).kwargs(Map.of("options", Map.of("x", 1.5, "s", "é"),
                            "meta", Map.of("deadline", System.currentTimeMillis() / 1000.0 + 60)))
                    .timeout(Duration.ofSeconds(20)));
            JsonNode line = r.line(0);
            assertEquals("SUCCESS", line.at("/state").asText(), line.toString());
            assertEquals("success", line.at("/result/status").asText());
            assertEquals("java", line.at("/result/results/worker").asText());
            assertEquals(1.5, line.at("/result/results/options/x").asDouble());
            assertEquals("é", line.at("/result/results/options/s").asText());
        }
        // a failed task is a SUCCESS state with status failed; unknown names raise in Python
        SendTaskResult failed = python.sendTask(SendTask.to(redis, RuntimeFixture.queue(Priority.NORMAL))
                .kwargs(Map.of("options", Map.of("explode", true))).timeout(Duration.ofSeconds(20)));
        assertEquals("failed", failed.line(0).at("/result/status").asText());
        assertEquals("Exploded", failed.line(0).at("/result/error/type").asText());
        SendTaskResult unknown = python.sendTask(SendTask.to(redis, RuntimeFixture.queue(Priority.NORMAL))
                .task("not.registered").timeout(Duration.ofSeconds(20)));
        assertEquals("NotRegistered", unknown.line(0).at("/error_type").asText(), unknown.line(0).toString());
    }

    @Test
    void msgpackResultSerializerIsReadByPython() {
        Set<String> ran = ConcurrentHashMap.newKeySet();
        fx.start(b -> b.connection(OperatorSettings.builder().brokerUrl(redis.url()).resultSerializer("msgpack")
                .environment(k -> null).build()), javaWorker(ran));
        SendTaskResult r = python.sendTask(SendTask.to(redis, RuntimeFixture.queue(Priority.LOW))
                .resultSerializer("msgpack").kwargs(Map.of("options", Map.of("k", "v"))).timeout(Duration.ofSeconds(20)));
        assertEquals("success", r.line(0).at("/result/status").asText(), r.line(0).toString());
    }

    @Test
    void pythonAndJavaWorkersOnTheSameQueuesRunEachTaskExactlyOnce() {
        // each side records its runs: Java here, Python in a Redis list (the record_runs option of the test worker)
        String pythonRunsKey = "test:python-runs";
        Map<String, Integer> javaRuns = new ConcurrentHashMap<>();
        OperatorHandler java = task -> {
            javaRuns.merge(task.taskId(), 1, Integer::sum);
            return CompletableFuture.supplyAsync(() -> OperatorResult.success(List.of(), Map.of("worker", "java")),
                    CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
        };
        List<String> ids = new ArrayList<>();
        try (CeleryWorker worker = python.startWorker(CeleryWorkerOptions.builder().redis(redis)
                .operator(RuntimeFixture.OPERATOR, RuntimeFixture.VERSION).acksLate(true).concurrency(2).build())) {
            fx.start(b -> b.concurrency(2), java);
            // about as long on both sides, so that neither drains the queues alone
            for (int i = 0; i < 200; i++) {
                Priority p = Priority.values()[i % 4];
                ids.add(fx.send(p, Map.of("options", Map.of("i", i, "sleep", 0.02, "record_runs", pythonRunsKey))));
            }
            for (String id : ids) {
                ResultMeta meta = fx.awaitFinal(id, Duration.ofSeconds(60));
                assertEquals(CeleryState.SUCCESS, meta.status(), String.valueOf(meta.result()));
            }
        }
        Map<String, Integer> pythonRuns = new HashMap<>();
        for (String line : fx.jedis.lrange(pythonRunsKey, 0, -1)) {
            pythonRuns.merge((String) ((Map<?, ?>) PythonJson.decode(line)).get("id"), 1, Integer::sum);
        }
        for (String id : ids) {
            int runs = javaRuns.getOrDefault(id, 0) + pythonRuns.getOrDefault(id, 0);
            assertEquals(1, runs, "task " + id + " ran " + javaRuns.getOrDefault(id, 0) + " time(s) in Java and "
                                  + pythonRuns.getOrDefault(id, 0) + " in Python");
            Map<?, ?> results = (Map<?, ?>) RuntimeFixture.resultMap(fx.result(id)).get("results");
            assertEquals(javaRuns.containsKey(id), "java".equals(results.get("worker")), "who answered " + id);
        }
        assertEquals(ids.size(), javaRuns.size() + pythonRuns.size(), "runs of tasks never sent");
        assertTrue(javaRuns.size() > 0, "the Java worker took a share: " + javaRuns.size() + " of " + ids.size());
        assertTrue(pythonRuns.size() > 0, "the Python worker took a share: " + pythonRuns.size() + " of " + ids.size());
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.jedis.hlen(KombuKeys.UNACKED) == 0);
    }

    @Test
    void aPythonWorkerRestoresTasksOfAKilledJavaRuntime() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ids.add(fx.send(Priority.NORMAL, Map.of("options", Map.of("i", i))));
        }
        OperatorRuntime doomed = fx.start(b -> b.concurrency(2), task -> new CompletableFuture<>());
        await().atMost(Duration.ofSeconds(10)).until(() -> doomed.inFlight() == 2);
        doomed.halt();
        // kombu restores at worker start, then only every 10th idle poll (about 100 s): start it once the
        // entries are older than its visibility timeout
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            double oldest = fx.jedis.zrangeWithScores(KombuKeys.UNACKED_INDEX, 0, 0).get(0).getScore();
            return System.currentTimeMillis() / 1000.0 - oldest > 1.5;
        });
        try (CeleryWorker worker = python.startWorker(CeleryWorkerOptions.builder().redis(redis)
                .operator(RuntimeFixture.OPERATOR, RuntimeFixture.VERSION).visibilityTimeout(Duration.ofSeconds(1))
                .build())) {
            for (String id : ids) {
                ResultMeta meta = fx.awaitFinal(id, Duration.ofSeconds(60));
                assertEquals("success", ((Map<?, ?>) meta.result()).get("status"));
            }
        }
    }
}
