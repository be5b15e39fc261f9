package io.camelsandai.operator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RabbitMqExtension;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.testsupport.SendTask;
import io.camelsandai.testsupport.SendTaskResult;
import io.camelsandai.transport.amqp.AmqpConnectionSettings;
import io.camelsandai.transport.amqp.AmqpConnections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java worker on a real RabbitMQ (a fresh vhost), fed by stock Python Celery 5.2 clients and by raw AMQP
 * publishes: every outcome in both serializers with the Redis backend and with {@code rpc://}, dead-lettering,
 * strict priority, graceful stop and a forced connection loss mid-flood.
 */
class AmqpWorkerTest {
    @RegisterExtension
    static final RabbitMqExtension rabbit = RabbitMqExtension.create();
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery python = PythonCelery.create();

    private static final String DEAD_LETTER = "sandai.dead-letter";

    private final List<OperatorRuntime> runtimes = new ArrayList<>();
    private Jedis jedis;
    private Connection amqp;
    private Channel channel;

    @BeforeEach
    void setUp() throws Exception {
        jedis = redis.newJedis();
        jedis.flushAll();
        amqp = AmqpConnections.open(rabbit.amqpUrl(), AmqpConnectionSettings.DEFAULT, "amqp-worker-test");
        channel = amqp.createChannel();
        for (Priority p : Priority.values()) {
            channel.queuePurge(declare(p));
        }
        channel.queueDeclare(DEAD_LETTER, true, false, false, Map.of());
        channel.queuePurge(DEAD_LETTER);
    }

    @AfterEach
    void tearDown() throws Exception {
        runtimes.forEach(OperatorRuntime::close);
        amqp.close();
        jedis.close();
    }

    private String declare(Priority p) throws Exception {
        String queue = RuntimeFixture.queue(p);
        io.camelsandai.transport.amqp.CeleryAmqpTopology.declareTaskQueue(channel, queue);
        return queue;
    }

    private OperatorRuntime start(UnaryOperator<OperatorRuntimeSettings.Builder> tune, OperatorHandler handler) {
        OperatorRuntimeSettings.Builder b = OperatorRuntimeSettings.builder(RuntimeFixture.OPERATOR,
                        RuntimeFixture.VERSION)
                .connection(OperatorSettings.builder().brokerUrl(redis.url()).environment(k -> null).build())
                .amqpBrokerUrl(rabbit.url()).remoteControl(false).shutdownTimeout(Duration.ofSeconds(5));
        OperatorRuntime runtime = new OperatorRuntime(tune.apply(b).build(), handler);
        runtimes.add(runtime);
        runtime.start();
        return runtime;
    }

    /** Success, failed, progress by the options' "mode"; records the order tasks start in. */
    private static OperatorHandler modes(List<String> order) {
        return task -> {
            order.add(task.taskId());
            Object mode = task.request().options().getOrDefault("mode", "ok");
            if ("fail".equals(mode)) {
                return CompletableFuture.failedFuture(new OperatorFailure("Exploded", "as asked", false));
            }
            if ("progress".equals(mode)) {
                task.progress(50, "half way");
            }
            if (task.request().options().get("millis") instanceof Number n) {
                return CompletableFuture.supplyAsync(() -> OperatorResult.success(List.of(), Map.of("mode", mode)),
                        CompletableFuture.delayedExecutor(n.longValue(), TimeUnit.MILLISECONDS));
            }
            return CompletableFuture.completedFuture(OperatorResult.success(List.of(),
                    Map.of("mode", mode, "worker", "java")));
        };
    }

    private static Map<String, Object> options(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private SendTask send(Priority p, String backend) {
        return SendTask.to(rabbit.url(), RuntimeFixture.queue(p)).backend(backend);
    }

    private ResultMeta result(String taskId) {
        byte[] raw = jedis.get(("celery-task-meta-" + taskId).getBytes(StandardCharsets.UTF_8));
        return raw == null ? null : ResultMeta.decode(raw);
    }

    private ResultMeta awaitFinal(String taskId) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> result(taskId), m -> m != null && m.isFinal());
    }

    private long messages(String queue) throws Exception {
        return channel.queueDeclarePassive(queue).getMessageCount();
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "rpc"})
    void stockCeleryClientGetsEveryOutcomeInBothSerializers(String backendKind) {
        boolean rpc = backendKind.equals("rpc");
        start(b -> b.concurrency(4).rpcResults(rpc), modes(new CopyOnWriteArrayList<>()));
        String backend = rpc ? "rpc://" : redis.url();
        double now = System.currentTimeMillis() / 1000.0;
        if (!rpc) {
            jedis.set("sandai:cancel:job-1", "1");
        }
        for (String serializer : List.of("msgpack", "json")) {
            SendTask batch = send(Priority.NORMAL, backend).serializer(serializer)
                    .timeout(Duration.ofSeconds(20))
                    .kwargs(Map.of("options", options("mode", "ok", "s", "é", "x", 1.5)))
                    .kwargs(Map.of("options", options("mode", "fail")))
                    .kwargs(Map.of("options", options("mode", "progress")))
                    .kwargs(Map.of("options", Map.of(), "meta", Map.of("deadline", now - 5)));
            if (!rpc) {
                batch.kwargs(Map.of("options", Map.of(), "meta", Map.of("cancel_key", "job-1")));
            }
            SendTaskResult r = python.sendTask(batch);
            assertEquals("SUCCESS", r.line(0).at("/state").asText(), r.toString());
            assertEquals("success", r.line(0).at("/result/status").asText(), r.toString());
            assertEquals("java", r.line(0).at("/result/results/worker").asText(), r.toString());
            assertEquals("failed", r.line(1).at("/result/status").asText(), r.toString());
            assertEquals("Exploded", r.line(1).at("/result/error/type").asText(), r.toString());
            assertEquals("success", r.line(2).at("/result/status").asText(), r.toString());
            assertEquals("deadline_exceeded", r.line(3).at("/result/status").asText(), r.toString());
            if (!rpc) {
                assertEquals("cancelled", r.line(4).at("/result/status").asText(), r.toString());
            }
            // Celery FAILURE: a task name this worker does not serve
            SendTaskResult unknown = python.sendTask(send(Priority.HIGH, backend).serializer(serializer)
                    .task("not.this.task").timeout(Duration.ofSeconds(20)));
            assertEquals("FAILURE", unknown.line(0).at("/state").asText(), unknown.toString());
            assertEquals("NotRegistered", unknown.line(0).at("/error_type").asText(), unknown.toString());
        }
        if (!rpc) {
            // the PROGRESS state reached the Redis backend before the final one replaced it: a progress task that
            // waits for us shows it
            String id = UUID.randomUUID().toString();
            python.sendTask(send(Priority.NORMAL, backend).taskId(id)
                    .kwargs(Map.of("options", options("mode", "progress", "millis", 1500))).noWait());
            ResultMeta progress = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> result(id), m -> m != null);
            if (!progress.isFinal()) {
                assertEquals(CeleryState.PROGRESS, progress.status());
            }
            assertEquals(CeleryState.SUCCESS, awaitFinal(id).status());
        }
    }

    @Test
    void badInputIsDeadLetteredWithItsReasonOrRefusedUnreadAndTheWorkerGoesOn() throws Exception {
        OperatorRuntime runtime = start(b -> b.maxMessageBytes(4096), modes(new CopyOnWriteArrayList<>()));
        String queue = RuntimeFixture.queue(Priority.NORMAL);
        // 1. not a Celery message at all: no task id -> dead letter only
        channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().contentType("text/plain").build(),
                "garbage".getBytes(StandardCharsets.UTF_8));
        // 2. pickle: never deserialized; answered ContentDisallowed as a Celery worker does, acked
        String pickled = UUID.randomUUID().toString();
        channel.basicPublish("", queue, celeryProps(pickled, "application/x-python-serialize"),
                new byte[]{(byte) 0x80, 4, '.'});
        // 3. oversize: error result and dead letter
        String big = UUID.randomUUID().toString();
        channel.basicPublish("", queue, celeryProps(big, "application/json"),
                ("[[], {\"options\": {\"pad\": \"" + "x".repeat(8000) + "\"}}, {}]").getBytes(StandardCharsets.UTF_8));
        // 4. a good one after them still runs
        SendTaskResult good = python.sendTask(send(Priority.NORMAL, redis.url()).timeout(Duration.ofSeconds(20)));
        assertEquals("success", good.line(0).at("/result/status").asText(), good.toString());

        ResultMeta refused = awaitFinal(pickled);
        assertEquals(CeleryState.FAILURE, refused.status());
        assertTrue(String.valueOf(refused.result()).contains("ContentDisallowed"), String.valueOf(refused.result()));
        ResultMeta tooBig = awaitFinal(big);
        assertEquals("failed", ((Map<?, ?>) tooBig.result()).get("status"));

        await().atMost(Duration.ofSeconds(10)).until(() -> messages(DEAD_LETTER) == 2);
        List<GetResponse> dead = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            dead.add(channel.basicGet(DEAD_LETTER, true));
        }
        GetResponse garbage = dead.stream().filter(g -> new String(g.getBody(), StandardCharsets.UTF_8)
                .equals("garbage")).findFirst().orElseThrow();
        assertEquals("envelope carries no task id",
                String.valueOf(garbage.getProps().getHeaders().get(AmqpTaskLedger.REASON_HEADER)));
        assertEquals(queue, String.valueOf(garbage.getProps().getHeaders().get(AmqpTaskLedger.QUEUE_HEADER)));
        GetResponse oversize = dead.stream().filter(g -> g != garbage).findFirst().orElseThrow();
        assertEquals(big, String.valueOf(oversize.getProps().getHeaders().get("id")), "original headers kept");
        assertTrue(String.valueOf(oversize.getProps().getHeaders().get(AmqpTaskLedger.REASON_HEADER))
                .contains("exceeds maxMessageBytes"));
        for (Priority p : Priority.values()) {
            assertEquals(0, messages(RuntimeFixture.queue(p)), "nothing left or requeued in " + p);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.inFlight() == 0);
    }

    private static AMQP.BasicProperties celeryProps(String id, String contentType) {
        return new AMQP.BasicProperties.Builder().contentType(contentType).contentEncoding("utf-8")
                .correlationId(id).headers(Map.of("id", id, "task", OperatorSettings.DEFAULT_TASK_NAME, "lang", "py"))
                .deliveryMode(2).build();
    }

    @Test
    void deliveredTasksRunHighestPriorityFirst() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CompletableFuture<OperatorResult> blocker = new CompletableFuture<>();
        String first = UUID.randomUUID().toString();
        OperatorRuntime runtime = start(b -> b.concurrency(1).prefetch(6), task -> {
            if (task.taskId().equals(first)) {
                order.add(first);
                return blocker;
            }
            return modes(order).handle(task);
        });
        python.sendTask(send(Priority.VERY_LOW, redis.url()).taskId(first).noWait());
        await().atMost(Duration.ofSeconds(10)).until(() -> order.contains(first));
        List<String> sent = new ArrayList<>();
        for (Priority p : List.of(Priority.VERY_LOW, Priority.LOW, Priority.NORMAL, Priority.HIGH)) {
            String id = UUID.randomUUID().toString();
            sent.add(id);
            channel.basicPublish("", RuntimeFixture.queue(p), celeryProps(id, "application/json"),
                    "[[], {\"options\": {}}, {}]".getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.inFlight() == 5); // all delivered, 4 waiting
        blocker.complete(OperatorResult.success(List.of(), Map.of()));
        for (String id : sent) {
            assertEquals(CeleryState.SUCCESS, awaitFinal(id).status());
        }
        List<String> expected = new ArrayList<>(sent);
        Collections.reverse(expected);
        assertEquals(expected, order.subList(1, order.size()), "high, normal, low, very_low");
    }

    @Test
    void gracefulStopFinishesTheRunningTaskAndRequeuesTheDeliveredOnes() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        OperatorRuntime runtime = start(b -> b.concurrency(1).prefetch(3).shutdownTimeout(Duration.ofSeconds(20)),
                modes(order));
        SendTaskResult sent = python.sendTask(send(Priority.NORMAL, redis.url())
                .kwargs(Map.of("options", options("millis", 1500))).count(3).noWait());
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.inFlight() == 3 && order.size() == 1);
        runtime.close();
        assertEquals(CeleryState.SUCCESS, result(order.get(0)).status(), "the running task finished first");
        assertEquals(2, messages(RuntimeFixture.queue(Priority.NORMAL)), "the two waiting ones are back");
        for (String id : sent.ids()) {
            if (!id.equals(order.get(0))) {
                assertNull(result(id));
            }
        }
        // another worker takes them
        start(b -> b.concurrency(2), modes(order));
        for (String id : sent.ids()) {
            assertEquals(CeleryState.SUCCESS, awaitFinal(id).status());
        }
    }

    @Test
    void aForcedConnectionLossMidFloodLosesNothingAndFailsNothing() throws Exception {
        Set<String> ran = ConcurrentHashMap.newKeySet();
        List<String> order = new CopyOnWriteArrayList<>();
        OperatorRuntime runtime = start(b -> b.concurrency(4), task -> {
            ran.add(task.taskId());
            return modes(order).handle(task);
        });
        int total = 300;
        SendTaskResult sent = python.sendTask(send(Priority.NORMAL, redis.url())
                .kwargs(Map.of("options", options("millis", 10))).count(total).noWait());
        await().atMost(Duration.ofSeconds(20)).until(() -> ran.size() >= 40);
        rabbit.closeAllConnections("test: connection loss mid-flood");
        for (String id : sent.ids()) {
            ResultMeta m = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> result(id), r -> r != null && r.isFinal());
            assertEquals(CeleryState.SUCCESS, m.status(), id);
            assertEquals("success", ((Map<?, ?>) m.result()).get("status"), id);
        }
        assertEquals(total, ran.size());
        await().atMost(Duration.ofSeconds(10)).until(() -> runtime.inFlight() == 0);
        assertEquals(0, messages(RuntimeFixture.queue(Priority.NORMAL)));
        assertEquals(0, messages(DEAD_LETTER));
        assertTrue(runtime.isRedisReachable(), "connection recovered");
        assertNotNull(order);
    }

    @Test
    void killMinus9OfAWorkerJvmMidFloodLosesNoTask() throws Exception {
        int total = 600;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            channel.basicPublish("", RuntimeFixture.queue(Priority.values()[i % 4]),
                    celeryProps(id, "application/json"), "[[], {\"options\": {}}, {}]".getBytes(StandardCharsets.UTF_8));
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                AmqpRuntimeProcessMain.class.getName(), rabbit.url(), redis.url(), "8")
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "amqp-kill-test-runtime.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> RuntimeProcesses.finished(jedis, ids) >= 150);
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: nothing acked, nothing given back
        }
        long finishedAtKill = RuntimeProcesses.finished(jedis, ids);
        assertTrue(finishedAtKill < total, "killed mid-flood");
        start(b -> b.concurrency(16), modes(new CopyOnWriteArrayList<>()));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> RuntimeProcesses.finished(jedis, ids) == total);
        for (ResultMeta m : RuntimeProcesses.results(jedis, ids)) {
            assertEquals(CeleryState.SUCCESS, m.status());
        }
        for (Priority p : Priority.values()) {
            assertEquals(0, messages(RuntimeFixture.queue(p)));
        }
        assertEquals(0, messages(DEAD_LETTER));
    }

    @Test
    void aStockCeleryWorkerAndTheJavaWorkerShareTheQueuesAndRunEachTaskOnce() throws Exception {
        String runs = "test:python-runs";
        List<String> javaRan = new CopyOnWriteArrayList<>();
        try (io.camelsandai.testsupport.CeleryWorker worker = python.startWorker(
                io.camelsandai.testsupport.CeleryWorkerOptions.builder().broker(rabbit.url()).backend(redis.url())
                        .env("SANDAI_TEST_CANCEL_URL", redis.url())
                        .operator(RuntimeFixture.OPERATOR, RuntimeFixture.VERSION).acksLate(true).concurrency(2)
                        .build())) {
            start(b -> b.concurrency(2), task -> {
                javaRan.add(task.taskId());
                return CompletableFuture.supplyAsync(() -> OperatorResult.success(List.of(), Map.of("worker", "java")),
                        CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
            });
            SendTaskResult answered = python.sendTask(send(Priority.NORMAL, redis.url())
                    .kwargs(Map.of("options", Map.of("sleep", 0.05, "record_runs", runs))).count(40)
                    .timeout(Duration.ofSeconds(60)));
            for (JsonNode line : answered.lines()) {
                assertEquals("success", line.at("/result/status").asText(), line.toString());
            }
            List<String> pythonRan = new ArrayList<>();
            for (String line : jedis.lrange(runs, 0, -1)) {
                pythonRan.add(String.valueOf(((Map<?, ?>) io.camelsandai.codec.PythonJson.decode(line)).get("id")));
            }
            Map<String, Integer> count = new java.util.HashMap<>();
            javaRan.forEach(id -> count.merge(id, 1, Integer::sum));
            pythonRan.forEach(id -> count.merge(id, 1, Integer::sum));
            for (String id : answered.ids()) {
                assertEquals(1, count.getOrDefault(id, 0), "runs of " + id);
            }
            assertEquals(40, count.size());
            assertTrue(!javaRan.isEmpty() && !pythonRan.isEmpty(), "both ran some: java " + javaRan.size()
                                                                   + ", python " + pythonRan.size());
        }
    }
}
