package io.camelsandai.operator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.KombuKeys;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.codec.TaskEnvelope;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Celery remote control of the Java runtime, driven by stock Celery 5.2's {@code app.control} from Python. */
class RemoteControlInteropTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery python = PythonCelery.create();

    private static final String NODE = "sandai-video-clipper-v1@javahost";
    private static final String PIDBOX_CHANNEL = "/0.celery.pidbox";

    private RuntimeFixture fx;
    private final Set<String> ran = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<OperatorResult>> running = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        fx = new RuntimeFixture(redis);
    }

    @AfterEach
    void tearDown() {
        running.values().forEach(f -> f.complete(OperatorResult.success(List.of(), Map.of())));
        fx.close();
    }

    /** A runtime whose tasks run until the test completes them (or the test ends). */
    private OperatorRuntime startRuntime() {
        return startRuntime(2, null);
    }

    private OperatorRuntime startRuntime(int concurrency, Integer prefetch) {
        OperatorRuntime runtime = fx.start(b -> b.workerName(NODE).concurrency(concurrency).prefetch(prefetch), task -> {
            ran.add(task.taskId());
            return running.computeIfAbsent(task.taskId(), id -> new CompletableFuture<>());
        });
        await().atMost(Duration.ofSeconds(10)).until(runtime::isRemoteControlListening);
        return runtime;
    }

    private JsonNode control(String... args) {
        // one node serves these tests: a reply from it ends the wait, a silent node still costs the whole timeout
        List<String> all = new ArrayList<>(List.of("--broker", redis.url(), "--timeout", "1.0", "--limit", "1"));
        all.addAll(List.of(args));
        List<JsonNode> lines = python.runScript("remote_control.py", all, Map.of(), Duration.ofSeconds(60))
                .assertSuccess().jsonLines();
        assertEquals(1, lines.size(), lines.toString());
        return lines.get(0);
    }

    private JsonNode inspect(String method, String... extra) {
        List<String> args = new ArrayList<>(List.of(extra));
        args.addAll(List.of("inspect", method));
        return control(args.toArray(String[]::new)).get("reply");
    }

    @Test
    void inspectPingRegisteredQueuesStatsAndDestinationFiltering() {
        OperatorRuntime runtime = startRuntime();
        assertEquals("pong", inspect("ping").at("/" + NODE + "/ok").asText());
        assertEquals("pong", control("ping").at("/reply/0/" + NODE + "/ok").asText()); // what `celery status` sends
        JsonNode status = control("cli", "status"); // the celery command line itself
        assertEquals(0, status.get("exit").asInt(), status.toString());
        assertTrue(status.get("stdout").asText().contains(NODE + ": OK"), status.toString());
        assertTrue(status.get("stdout").asText().contains("1 node online"), status.toString());
        assertEquals("pong", inspect("ping", "--destination", NODE).at("/" + NODE + "/ok").asText());
        assertTrue(inspect("ping", "--destination", "somebody@else").isNull(), "a node not named stays silent");
        // a client whose task_serializer is msgpack broadcasts in msgpack and is answered in msgpack
        assertEquals("pong", inspect("ping", "--serializer", "msgpack").at("/" + NODE + "/ok").asText());

        JsonNode registered = inspect("registered").get(NODE);
        assertEquals(List.of("sandai.operator.desc", "sandai.operator.process"), texts(registered));

        JsonNode queues = inspect("active_queues").get(NODE);
        List<String> names = new ArrayList<>();
        queues.forEach(q -> names.add(q.get("name").asText()));
        assertEquals(List.of(RuntimeFixture.queue(Priority.HIGH), RuntimeFixture.queue(Priority.NORMAL),
                RuntimeFixture.queue(Priority.LOW), RuntimeFixture.queue(Priority.VERY_LOW)), names);
        assertEquals("direct", queues.get(0).at("/exchange/type").asText());

        JsonNode stats = inspect("stats").get(NODE);
        assertEquals(ProcessHandle.current().pid(), stats.get("pid").asLong());
        assertEquals(2, stats.at("/pool/max-concurrency").asInt());
        assertEquals(redis.port(), stats.at("/broker/port").asInt());
        assertTrue(stats.get("total").isEmpty(), stats.toString());

        // the node is bound as a kombu worker's pidbox queue, and unbound at stop
        String binding = KombuKeys.SEP + KombuKeys.SEP + NODE + ".celery.pidbox";
        assertTrue(fx.jedis.sismember("_kombu.binding.celery.pidbox", binding));
        runtime.close();
        assertFalse(fx.jedis.sismember("_kombu.binding.celery.pidbox", binding));
    }

    @Test
    void inspectActiveShowsARunningTaskInCeleryShape() {
        startRuntime();
        String id = fx.send(Priority.NORMAL, Map.of("options", Map.of("clip", 3)));
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains(id));

        JsonNode active = inspect("active").get(NODE);
        assertEquals(1, active.size(), active.toString());
        JsonNode task = active.get(0);
        assertEquals(id, task.get("id").asText());
        assertEquals("sandai.operator.process", task.get("name").asText());
        assertEquals("sandai.operator.process", task.get("type").asText());
        assertEquals(3, task.at("/kwargs/options/clip").asInt());
        assertTrue(task.get("args").isArray());
        assertEquals(NODE, task.get("hostname").asText());
        assertEquals(ProcessHandle.current().pid(), task.get("worker_pid").asLong());
        assertFalse(task.get("acknowledged").asBoolean(), "acks late: not acknowledged while running");
        assertEquals(RuntimeFixture.queue(Priority.NORMAL), task.at("/delivery_info/routing_key").asText());
        double started = task.get("time_start").asDouble();
        assertTrue(Math.abs(System.currentTimeMillis() / 1000.0 - started) < 60, "epoch seconds: " + started);
        assertEquals(1, inspect("stats").at("/" + NODE + "/total/sandai.operator.process").asInt());

        // terminate is not supported for a running task: said so, and the task goes on
        JsonNode terminate = control("revoke", id, "terminate").at("/reply/0/" + NODE + "/error");
        assertTrue(terminate.asText().contains(id), terminate.toString());

        running.get(id).complete(OperatorResult.success(List.of(), Map.of("done", true)));
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(id, Duration.ofSeconds(10)).status());
        await().atMost(Duration.ofSeconds(10)).until(() -> inspect("active").get(NODE).isEmpty());
    }

    @Test
    void aRevokedTaskIsNotRunAndEndsRevokedAsCeleryWritesIt() {
        startRuntime();
        String id = "revoked-" + System.nanoTime();
        assertEquals("tasks " + id + " flagged as revoked",
                control("revoke", id).at("/reply/0/" + NODE + "/ok").asText());
        assertEquals(List.of(id), texts(inspect("revoked").get(NODE)));

        String cast = "cast-" + System.nanoTime(); // app.control.revoke(id): no reply_to, no answer
        assertTrue(control("revoke-cast", cast).get("sent").asBoolean());
        await().atMost(Duration.ofSeconds(20)).until(() -> texts(inspect("revoked").get(NODE)).contains(cast));

        for (String revoked : List.of(id, cast)) {
            SendTaskResult r = python.sendTask(SendTask.to(redis, RuntimeFixture.queue(Priority.HIGH))
                    .taskId(revoked).kwargs(Map.of("options", Map.of())).timeout(Duration.ofSeconds(20)));
            assertEquals("REVOKED", r.line(0).at("/state").asText(), r.line(0).toString());
            assertEquals("TaskRevokedError", r.line(0).at("/error_type").asText(), r.line(0).toString());
            JsonNode state = control("state", revoked);
            assertEquals("REVOKED", state.get("state").asText());
            assertEquals("TaskRevokedError('revoked')", state.get("result").asText());
            ResultMeta meta = fx.result(revoked);
            assertEquals(Map.of("exc_type", "TaskRevokedError", "exc_message", List.of("revoked"),
                    "exc_module", "celery.exceptions"), meta.result());
        }
        assertTrue(ran.isEmpty(), "the handler ran a revoked task: " + ran);
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.jedis.hlen(KombuKeys.UNACKED) == 0);
    }

    @Test
    void aCountdownTaskIsScheduledInCeleryShapeUntilItsEtaThenRuns() {
        startRuntime();
        SendTaskResult sent = python.sendTask(SendTask.to(redis, RuntimeFixture.queue(Priority.NORMAL))
                .kwargs(Map.of("options", Map.of("clip", 7))).countdown(12).noWait());
        String id = sent.line(0).at("/id").asText();

        JsonNode scheduled = await().atMost(Duration.ofSeconds(10))
                .until(() -> inspect("scheduled").get(NODE), s -> s.size() == 1);
        JsonNode entry = scheduled.get(0);
        assertEquals(heldEtaText(id), entry.get("eta").asText(), "the eta as sent, in Python's isoformat");
        assertEquals(6, entry.get("priority").asInt(), "Celery's timer priority for eta tasks");
        JsonNode request = entry.get("request");
        assertEquals(id, request.get("id").asText());
        assertEquals("sandai.operator.process", request.get("name").asText());
        assertEquals("sandai.operator.process", request.get("type").asText());
        assertTrue(request.get("args").isArray());
        assertEquals(7, request.at("/kwargs/options/clip").asInt());
        assertEquals(NODE, request.get("hostname").asText());
        assertTrue(request.get("time_start").isNull(), request.toString());
        assertTrue(request.get("worker_pid").isNull(), request.toString());
        assertFalse(request.get("acknowledged").asBoolean(), "held: still in unacked");
        assertEquals(RuntimeFixture.queue(Priority.NORMAL), request.at("/delivery_info/routing_key").asText());
        assertTrue(inspect("reserved").get(NODE).isEmpty(), "a held task is not reserved");
        assertTrue(inspect("active").get(NODE).isEmpty());
        assertFalse(ran.contains(id));

        await().atMost(Duration.ofSeconds(30)).until(() -> ran.contains(id));
        assertTrue(inspect("scheduled").get(NODE).isEmpty(), "gone once it runs");
        assertEquals(id, inspect("active").at("/" + NODE + "/0/id").asText());
        running.get(id).complete(OperatorResult.success(List.of(), Map.of()));
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(id, Duration.ofSeconds(10)).status());
    }

    @Test
    void aTaskWaitingForAFreeSlotIsReservedWhileTheBlockerIsActive() {
        startRuntime(1, 2);
        String blocker = fx.send(Priority.NORMAL, Map.of("options", Map.of("n", 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains(blocker));
        String waiting = fx.send(Priority.NORMAL, Map.of("options", Map.of("n", 2)));

        JsonNode reserved = await().atMost(Duration.ofSeconds(10))
                .until(() -> inspect("reserved").get(NODE), r -> r.size() == 1);
        JsonNode task = reserved.get(0);
        assertEquals(waiting, task.get("id").asText());
        assertEquals("sandai.operator.process", task.get("name").asText());
        assertEquals(2, task.at("/kwargs/options/n").asInt());
        assertEquals(NODE, task.get("hostname").asText());
        assertTrue(task.get("time_start").isNull(), task.toString());
        assertTrue(task.get("worker_pid").isNull(), task.toString());
        assertFalse(task.get("acknowledged").asBoolean(), "acks late: not acknowledged while waiting");
        assertEquals(RuntimeFixture.queue(Priority.NORMAL), task.at("/delivery_info/routing_key").asText());
        JsonNode active = inspect("active").get(NODE);
        assertEquals(1, active.size(), active.toString());
        assertEquals(blocker, active.get(0).get("id").asText());
        assertTrue(inspect("scheduled").get(NODE).isEmpty());
        assertFalse(ran.contains(waiting));
        JsonNode query = control("inspect", "query_task", waiting, blocker).at("/reply/" + NODE);
        assertEquals("reserved", query.at("/" + waiting + "/0").asText(), query.toString());
        assertEquals("active", query.at("/" + blocker + "/0").asText(), query.toString());

        running.get(blocker).complete(OperatorResult.success(List.of(), Map.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains(waiting));
        assertTrue(inspect("reserved").get(NODE).isEmpty(), "started: no longer reserved");
        assertEquals(waiting, inspect("active").at("/" + NODE + "/0/id").asText());
        running.get(waiting).complete(OperatorResult.success(List.of(), Map.of()));
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(waiting, Duration.ofSeconds(10)).status());
    }

    @Test
    void aHeldTaskRevokedBeforeItsEtaEndsRevokedWithoutRunning() {
        startRuntime();
        String id = "held-" + System.nanoTime();
        python.sendTask(SendTask.to(redis, RuntimeFixture.queue(Priority.HIGH)).taskId(id)
                .kwargs(Map.of("options", Map.of())).countdown(5).noWait());
        await().atMost(Duration.ofSeconds(10)).until(() -> inspect("scheduled").get(NODE).size() == 1);
        assertEquals("tasks " + id + " flagged as revoked",
                control("revoke", id).at("/reply/0/" + NODE + "/ok").asText());

        assertEquals(CeleryState.REVOKED, fx.awaitFinal(id, Duration.ofSeconds(20)).status());
        JsonNode state = control("state", id); // Python's AsyncResult
        assertEquals("REVOKED", state.get("state").asText());
        assertEquals("TaskRevokedError('revoked')", state.get("result").asText());
        assertFalse(ran.contains(id), "the handler ran a revoked task");
        assertTrue(inspect("scheduled").get(NODE).isEmpty());
        assertTrue(inspect("reserved").get(NODE).isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.jedis.hlen(KombuKeys.UNACKED) == 0);
    }

    @Test
    void malformedBroadcastsDoNotStopRemoteControl() {
        OperatorRuntime runtime = startRuntime();
        String b64 = "\"properties\": {\"body_encoding\": \"base64\"}";
        List<String> garbage = List.of("not json", "[]", "{}", "{\"body\": 5}",
                "{\"body\": \"%%%\", \"content-type\": \"application/json\", " + b64 + "}",
                "{\"body\": \"" + base64("not json") + "\", \"content-type\": \"application/json\", " + b64 + "}",
                "{\"body\": \"" + base64("{\"arguments\": {}}") + "\", \"content-type\": \"application/json\", "
                + b64 + "}",
                "{\"body\": \"" + base64("{\"method\": \"ping\", \"arguments\": [1]}")
                + "\", \"content-type\": \"application/json\", " + b64 + "}",
                "{\"body\": \"gASVAAAAAAAAAAB9lC4=\", \"content-type\": \"application/x-python-serialize\", " + b64
                + "}",
                // a reply_to with no reply queue bound: nobody is waiting, nothing is written
                "{\"body\": \"" + base64("{\"method\": \"ping\", \"arguments\": {}, \"ticket\": \"t\", "
                        + "\"reply_to\": {\"exchange\": \"reply.celery.pidbox\", \"routing_key\": \"gone\"}}")
                + "\", \"content-type\": \"application/json\", " + b64 + "}");
        for (String g : garbage) {
            fx.jedis.publish(PIDBOX_CHANNEL, g);
        }
        fx.jedis.publish(PIDBOX_CHANNEL.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff, 0x00, 0x7b});

        // an unknown command is answered as kombu does: {"error": "KeyError('...')"}
        assertEquals("KeyError('no_such_command')",
                control("broadcast", "no_such_command").at("/reply/0/" + NODE + "/error").asText());
        assertEquals("pong", inspect("ping").at("/" + NODE + "/ok").asText());
        assertTrue(runtime.isRemoteControlListening());
        assertFalse(fx.jedis.exists("gone.reply.celery.pidbox"));

        // mingle's hello from another node gets our revoked ids and clock, as a Celery worker answers
        JsonNode hello = control("hello", "other@host").at("/reply/" + NODE);
        assertTrue(hello.get("revoked").isObject() && hello.get("clock").asLong() > 0, hello.toString());

        // and tasks still run
        String id = fx.send(Priority.LOW, Map.of("options", Map.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains(id));
    }

    @Test
    void workerHeartbeatEventsReachCeleryEventReceivers() {
        startRuntime();
        JsonNode event = control("--timeout", "8", "event", "worker-heartbeat", NODE).get("event");
        assertEquals(NODE, event.get("hostname").asText(), event.toString());
        assertEquals(ProcessHandle.current().pid(), event.get("pid").asLong());
        assertEquals(2.0, event.get("freq").asDouble());
        assertEquals(3, event.get("loadavg").size());
        assertTrue(event.get("clock").asLong() > 0);
        assertEquals("camel-sandai", event.get("sw_ident").asText());
    }

    @Test
    void defaultNodeNameIsCeleryStyleNameAtHost() {
        OperatorRuntimeSettings s = OperatorRuntimeSettings.builder("op", "v2")
                .connection(OperatorSettings.builder().brokerUrl(redis.url()).environment(k -> null).build()).build();
        assertTrue(s.workerName().matches("sandai-op-v2-\\d+@[^@]+"), s.workerName());
        assertTrue(s.remoteControl());
    }

    /** The {@code eta} header exactly as the Python client wrote it, read from the held message in unacked. */
    private String heldEtaText(String id) {
        return fx.jedis.hvals(KombuKeys.UNACKED).stream()
                .map(entry -> PythonJson.encodeToString(((List<?>) PythonJson.decode(entry)).get(0)))
                .map(TaskEnvelope::parse).filter(e -> id.equals(e.taskId())).findFirst().orElseThrow()
                .headers().get("eta").toString();
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
