package io.camelsandai.operator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

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
import io.camelsandai.transport.amqp.AmqpConnectionSettings;
import io.camelsandai.transport.amqp.AmqpConnections;
import io.camelsandai.transport.amqp.CeleryAmqpTopology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Celery remote control and worker events of the Java worker on a real RabbitMQ (fresh vhost), driven by the stock
 * Celery 5.2 command line ({@code celery -b amqp://... inspect ping/active/stats}, {@code celery status},
 * {@code celery control revoke}) and a raw AMQP client for the reply and event properties.
 */
class AmqpRemoteControlTest {
    @RegisterExtension
    static final RabbitMqExtension rabbit = RabbitMqExtension.create();
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery python = PythonCelery.create();

    private static final String NODE = "sandai-video-clipper-v1@javahost";
    private static final String NODE_QUEUE = NODE + ".celery.pidbox";

    private final Set<String> ran = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<OperatorResult>> running = new ConcurrentHashMap<>();
    private OperatorRuntime runtime;
    private Jedis jedis;
    private Connection amqp;
    private Channel channel;

    @BeforeEach
    void setUp() throws Exception {
        jedis = redis.newJedis();
        amqp = AmqpConnections.open(rabbit.amqpUrl(), AmqpConnectionSettings.DEFAULT, "amqp-remote-control-test");
        channel = amqp.createChannel();
        for (Priority p : Priority.values()) {
            CeleryAmqpTopology.declareTaskQueue(channel, RuntimeFixture.queue(p));
        }
    }

    private void start() {
        start(NODE);
        await().atMost(Duration.ofSeconds(10)).until(runtime::isRemoteControlListening);
    }

    private void start(String node) {
        OperatorRuntimeSettings settings = OperatorRuntimeSettings.builder(RuntimeFixture.OPERATOR,
                        RuntimeFixture.VERSION)
                .connection(OperatorSettings.builder().brokerUrl(redis.url()).environment(k -> null).build())
                .amqpBrokerUrl(rabbit.url()).workerName(node).concurrency(2)
                .shutdownTimeout(Duration.ofSeconds(2)).build();
        runtime = new OperatorRuntime(settings, task -> {
            ran.add(task.taskId());
            return running.computeIfAbsent(task.taskId(), id -> new CompletableFuture<>());
        });
        runtime.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        running.values().forEach(f -> f.complete(OperatorResult.success(List.of(), Map.of())));
        if (runtime != null) {
            runtime.close();
        }
        amqp.close();
        jedis.close();
    }

    /** remote_control.py against the RabbitMQ vhost; one node serves: a reply from it ends the wait. */
    private JsonNode control(String... args) {
        List<String> all = new ArrayList<>(List.of("--broker", rabbit.url(), "--timeout", "2.0", "--limit", "1"));
        all.addAll(List.of(args));
        List<JsonNode> lines = python.runScript("remote_control.py", all, Map.of(), Duration.ofSeconds(60))
                .assertSuccess().jsonLines();
        assertEquals(1, lines.size(), lines.toString());
        return lines.get(0);
    }

    /** {@code python3 -m celery -b amqp://... ARGS}: its stdout, after asserting exit code 0. */
    private String cli(String... args) {
        List<String> all = new ArrayList<>(List.of("cli"));
        all.addAll(List.of(args));
        JsonNode out = control(all.toArray(String[]::new));
        assertEquals(0, out.get("exit").asInt(), out.toString());
        return out.get("stdout").asText();
    }

    private ResultMeta result(String taskId) {
        byte[] raw = jedis.get(("celery-task-meta-" + taskId).getBytes(StandardCharsets.UTF_8));
        return raw == null ? null : ResultMeta.decode(raw);
    }

    @Test
    void celeryCommandLineSeesTheJavaWorkerOnRabbitMq() throws Exception {
        start();
        // what a Python worker of this name would declare: RabbitMQ refuses a redeclaration that differs
        Channel check = amqp.createChannel();
        check.exchangeDeclare("celery.pidbox", "fanout", false, false, null);
        check.exchangeDeclare("reply.celery.pidbox", "direct", false, false, null);
        check.exchangeDeclare("celeryev", "topic", true, false, null);
        check.queueDeclare(NODE_QUEUE, false, false, true, Map.of("x-expires", 10_000, "x-message-ttl", 300_000));
        check.close();

        String ping = cli("inspect", "ping", "--timeout", "2");
        assertTrue(ping.contains(NODE + ": OK") && ping.contains("pong"), ping);
        String status = cli("status", "--timeout", "2");
        assertTrue(status.contains(NODE + ": OK") && status.contains("1 node online"), status);

        String id = "active-" + UUID.randomUUID();
        python.sendTask(SendTask.to(rabbit.url(), RuntimeFixture.queue(Priority.NORMAL)).backend(redis.url())
                .taskId(id).kwargs(Map.of("options", Map.of())).noWait());
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains(id));
        String active = cli("inspect", "active", "--timeout", "2");
        assertTrue(active.contains(NODE + ": OK") && active.contains(id), active);
        JsonNode task = control("inspect", "active").at("/reply/" + NODE + "/0");
        assertEquals(id, task.get("id").asText());
        assertEquals(RuntimeFixture.queue(Priority.NORMAL), task.at("/delivery_info/routing_key").asText());

        String statsText = cli("inspect", "stats", "--timeout", "2");
        assertTrue(statsText.contains(NODE + ": OK"), statsText);
        JsonNode stats = control("inspect", "stats").at("/reply/" + NODE);
        assertEquals("amqp", stats.at("/broker/transport").asText());
        assertEquals(rabbit.amqpUrl().virtualHost(), stats.at("/broker/virtual_host").asText());
        assertEquals(1, stats.at("/total/sandai.operator.process").asInt());
        assertFalse(stats.toString().contains("guest:"), "no password in stats");

        JsonNode event = control("--timeout", "6", "event", "worker-heartbeat", NODE).get("event");
        assertEquals(NODE, event.get("hostname").asText(), event.toString());
        assertEquals(1, event.get("active").asInt());
        running.get(id).complete(OperatorResult.success(List.of(), Map.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> result(id) != null && result(id).isFinal());
    }

    @Test
    void afterAConnectionLossARevokedTaskEndsRevokedWithoutRunning() {
        start();
        // connection recovery must bring the node queue, its binding and the consumer back
        rabbit.closeAllConnections("test: connection loss under remote control");
        String id = "held-" + UUID.randomUUID();
        python.sendTask(SendTask.to(rabbit.url(), RuntimeFixture.queue(Priority.HIGH)).backend(redis.url())
                .taskId(id).kwargs(Map.of("options", Map.of())).countdown(12).noWait());
        // the countdown must outlast the two Python CLI runs below (inspect, revoke): on a loaded 2-core machine
        // they took up to 11 s, the eta came first and the task ran instead of being revoked
        await().atMost(Duration.ofSeconds(20))
                .until(() -> control("inspect", "scheduled").at("/reply/" + NODE).size() == 1);
        String revoke = cli("control", "revoke", id, "--timeout", "2");
        assertTrue(revoke.contains(NODE + ": OK") && revoke.contains("tasks " + id + " flagged as revoked"), revoke);

        ResultMeta meta = await().atMost(Duration.ofSeconds(20)).until(() -> result(id),
                m -> m != null && m.isFinal());
        assertEquals(CeleryState.REVOKED, meta.status());
        assertFalse(ran.contains(id), "the handler ran a revoked task");
        assertEquals(List.of(id), texts(control("inspect", "revoked").at("/reply/" + NODE)));
    }

    /** The bytes of docs/celery-amqp.md "Remote control and events", checked with a raw client. */
    @Test
    void repliesAndEventsCarryCeleryPropertiesAndBadBroadcastsAreIgnored() throws Exception {
        channel.exchangeDeclare("celeryev", "topic", true, false, null); // to see worker-online, bind first
        String events = channel.queueDeclare().getQueue();
        channel.queueBind(events, "celeryev", "worker.#");
        start();
        String replies = channel.queueDeclare().getQueue();
        channel.queueBind(replies, "reply.celery.pidbox", "oid-1");
        AMQP.BasicProperties pickle = new AMQP.BasicProperties.Builder()
                .contentType("application/x-python-serialize").contentEncoding("binary").build();
        channel.basicPublish("celery.pidbox", "", pickle, "cos\nsystem\n(S'true'\ntR.".getBytes(StandardCharsets.UTF_8));
        AMQP.BasicProperties json = new AMQP.BasicProperties.Builder().contentType("application/json")
                .contentEncoding("utf-8").deliveryMode(2).priority(0).headers(Map.of("clock", 40)).build();
        for (String bad : List.of("{", "[]", "{\"method\": 3}", "{\"method\": \"ping\", \"arguments\": []}")) {
            channel.basicPublish("celery.pidbox", "", json, bad.getBytes(StandardCharsets.UTF_8));
        }
        String ping = "{\"method\": \"ping\", \"arguments\": {}, \"destination\": null, \"pattern\": null, "
                + "\"matcher\": null, \"ticket\": \"t-1\", \"reply_to\": {\"exchange\": \"reply.celery.pidbox\", "
                + "\"routing_key\": \"oid-1\"}}";
        channel.basicPublish("celery.pidbox", "", json, ping.getBytes(StandardCharsets.UTF_8));

        GetResponse reply = await().atMost(Duration.ofSeconds(10)).until(() -> channel.basicGet(replies, true),
                r -> r != null);
        assertEquals("{\"" + NODE + "\": {\"ok\": \"pong\"}}", new String(reply.getBody(), StandardCharsets.UTF_8));
        AMQP.BasicProperties props = reply.getProps();
        assertEquals("application/json", props.getContentType());
        assertEquals("utf-8", props.getContentEncoding());
        assertEquals(1, props.getDeliveryMode());
        assertEquals("t-1", props.getHeaders().get("ticket").toString());
        assertTrue(((Number) props.getHeaders().get("clock")).longValue() > 40, "clock adjusted to the sender's");
        assertTrue(runtime.isRemoteControlListening());

        GetResponse online = channel.basicGet(events, true);
        assertEquals("worker.online", online.getEnvelope().getRoutingKey());
        assertEquals(NODE, online.getProps().getHeaders().get("hostname").toString());
        assertEquals(1, online.getProps().getDeliveryMode());
        assertEquals("application/json", online.getProps().getContentType());
        runtime.close();
        List<String> kinds = new ArrayList<>();
        for (GetResponse r = channel.basicGet(events, true); r != null; r = channel.basicGet(events, true)) {
            kinds.add(r.getEnvelope().getRoutingKey());
        }
        assertEquals("worker.offline", kinds.get(kinds.size() - 1), kinds.toString());
        Channel probe = amqp.createChannel();
        assertThrows(java.io.IOException.class, () -> probe.queueDeclarePassive(NODE_QUEUE),
                "the auto-delete node queue goes with its consumer");
        assertTrue(control("ping").get("reply").isEmpty(), "nobody answers once stopped");
    }

    @Test
    void aRefusedPidboxQueueLeavesTheWorkerServingTasks() throws Exception {
        String node = "refused@javahost";
        channel.queueDeclare(node + ".celery.pidbox", true, false, false, Map.of()); // not what Celery declares
        start(node);
        assertFalse(runtime.isRemoteControlListening());
        String id = "still-served-" + UUID.randomUUID();
        python.sendTask(SendTask.to(rabbit.url(), RuntimeFixture.queue(Priority.NORMAL)).backend(redis.url())
                .taskId(id).kwargs(Map.of("options", Map.of())).noWait());
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.contains(id));
        channel.queueDelete(node + ".celery.pidbox");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
