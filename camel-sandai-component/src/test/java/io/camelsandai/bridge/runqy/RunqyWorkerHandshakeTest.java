package io.camelsandai.bridge.runqy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.codec.PythonJson;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.testsupport.RedisServerExtension;
import redis.clients.jedis.Jedis;

/**
 * runqy-to-sandai with its Redis from the runqy server's worker handshake: a password-protected Redis, a non-zero
 * db, sub-queues with priorities, and the password never shown.
 */
class RunqyWorkerHandshakeTest {
    private static final String PASSWORD = "hand-shake-pw-7731";
    private static final int DB = 3;

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.builder().withPassword(PASSWORD).build();

    private final List<RunqyToSandaiWorker> workers = new ArrayList<>();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private AbstractAppender capture;
    private FakeRunqyServer server;
    private Jedis jedis;
    private AsynqEnqueuer enqueuer;

    @BeforeEach
    void start() throws Exception {
        server = new FakeRunqyServer(300);
        jedis = REDIS.newJedis(DB);
        jedis.flushDB();
        enqueuer = new AsynqEnqueuer(jedis);
        capture = new AbstractAppender("handshake-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                logLines.add(event.getMessage().getFormattedMessage()
                             + (event.getThrown() == null ? "" : " " + event.getThrown()));
            }
        };
        capture.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        ctx.getConfiguration().getLoggerConfig(RunqyToSandaiWorker.class.getPackageName()).setLevel(Level.DEBUG);
        ctx.updateLoggers();
    }

    @AfterEach
    void stop() {
        workers.forEach(RunqyToSandaiWorker::close);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(capture.getName());
        ctx.updateLoggers();
        capture.stop();
        jedis.close();
        server.close();
        assertTrue(logLines.stream().noneMatch(l -> l.contains(PASSWORD)), "the Redis password was logged");
    }

    private void serve(Map<String, Integer> subQueues, boolean redisStorage) {
        server.workerConfig("inference", REDIS.host() + ":" + REDIS.port(), PASSWORD, DB, false, subQueues, redisStorage);
    }

    /** An operator that echoes the task's options. */
    private static RunqyToSandaiWorker.OperatorCaller echo() {
        return (request, options) -> CompletableFuture.completedFuture(
                OperatorResult.success(List.of(), Map.of("echo", request.options())));
    }

    private RunqyToSandaiWorker worker(String key, String queue, Boolean storeResult) {
        RunqyWorkerSettings.Builder b = RunqyWorkerSettings.fromServer(server.url(), key, "echo", "v1").queue(queue)
                .pollInterval(Duration.ofMillis(50)).maintenanceInterval(Duration.ofMillis(200)).workerVersion("9.9");
        if (storeResult != null) {
            b.storeResult(storeResult);
        }
        RunqyToSandaiWorker w = new RunqyToSandaiWorker(b.build(), echo());
        workers.add(w);
        return w;
    }

    private void awaitState(String queue, String id, String state) {
        await().atMost(Duration.ofSeconds(20)).until(() -> state.equals(enqueuer.field(queue, id, "state")));
    }

    @Test
    void theServerGivesRedisCredentialsDbAndEverySubQueueOfTheParent() {
        Map<String, Integer> subs = new LinkedHashMap<>();
        subs.put("inference.high", 10);
        subs.put("inference.low", 1);
        serve(subs, true);
        RunqyToSandaiWorker w = worker(FakeRunqyServer.WORKER_KEY, "inference", null);
        w.start();

        String high = enqueuer.enqueue("inference.high", Map.of("options", Map.of("n", 1)));
        String low = enqueuer.enqueue("inference.low", Map.of("options", Map.of("n", 2)));
        awaitState("inference.high", high, "completed");
        awaitState("inference.low", low, "completed");
        Map<?, ?> result = (Map<?, ?>) PythonJson.decode(enqueuer.field("inference.low", low, "result"));
        assertEquals(Map.of("n", 2L), ((Map<?, ?>) result.get("results")).get("echo"));

        Map<?, ?> request = server.seenBodies.get(0);
        assertEquals(List.of("queue", "hostname", "os", "version"), List.copyOf(request.keySet()),
                "the request body of the spec");
        assertEquals("inference", request.get("queue"));
        assertEquals("9.9", request.get("version"));
        assertEquals(RunqyWorkerRegistration.goos(), request.get("os"));
        assertEquals("Bearer " + FakeRunqyServer.WORKER_KEY, server.seenHeaders.get(0).get("authorization"));
        assertFalse(w.settings().toString().contains(FakeRunqyServer.WORKER_KEY), w.settings().toString());
    }

    @Test
    void aConfiguredSubQueueTakesOnlyThatOneAndRedisStorageFalseStoresNoResult() {
        Map<String, Integer> subs = new LinkedHashMap<>();
        subs.put("inference.high", 10);
        subs.put("inference.low", 1);
        serve(subs, false);
        worker(FakeRunqyServer.ADMIN_KEY, "inference.low", null).start();

        String high = enqueuer.enqueue("inference.high", Map.of("x", 1));
        String low = enqueuer.enqueue("inference.low", Map.of("x", 2));
        awaitState("inference.low", low, "completed");
        assertNull(enqueuer.field("inference.low", low, "result"), "deployment.redis_storage=false");
        assertEquals("pending", enqueuer.field("inference.high", high, "state"), "not a configured sub-queue");
        assertEquals("inference", server.seenBodies.get(0).get("queue"), "registers the parent queue");
    }

    @Test
    void anExplicitStoreResultWinsOverRedisStorage() {
        serve(Map.of("inference.default", 1), false);
        worker(FakeRunqyServer.WORKER_KEY, "inference", true).start();
        String id = enqueuer.enqueue("inference", Map.of("x", 1));
        awaitState("inference.default", id, "completed");
        assertTrue(enqueuer.field("inference.default", id, "result").contains("\"echo\""));
    }

    @Test
    void refusalsFailTheStartWithTheServersReasonAndNoSecret() {
        serve(Map.of("inference.default", 1), true);
        RunqyException forbidden = assertThrows(RunqyException.class,
                () -> worker(FakeRunqyServer.CLIENT_KEY, "inference", null).start());
        assertEquals(403, forbidden.status());
        assertTrue(forbidden.getMessage().endsWith("HTTP 403: insufficient permissions"), forbidden.getMessage());

        assertThrows(AuthenticationException.class, () -> worker("wrong-key", "inference", null).start());

        RunqyException unknown = assertThrows(RunqyException.class,
                () -> worker(FakeRunqyServer.WORKER_KEY, "nosuch", null).start());
        assertEquals(404, unknown.status());
        assertTrue(unknown.getMessage().contains("queue 'nosuch' not found"), unknown.getMessage());

        server.workerConfig("inference", "not an address", PASSWORD, DB, false, Map.of("inference.default", 1), true);
        RunqyException badAddr = assertThrows(RunqyException.class,
                () -> worker(FakeRunqyServer.WORKER_KEY, "inference", null).start());
        assertFalse(badAddr.getMessage().contains(PASSWORD), badAddr.getMessage());
        assertTrue(badAddr.getMessage().contains("unusable redis.addr"), badAddr.getMessage());
    }

    @Test
    void theRegistrationNeverShowsThePassword() {
        byte[] answer = PythonJson.encode(Map.of("redis", Map.of("addr", "10.0.0.5:6380", "password", "p@ss:w/rd",
                "db", 2, "use_tls", true), "queue", Map.of("name", "inference", "priority", 4)));
        RunqyWorkerRegistration.Registration r = RunqyWorkerRegistration.parse(answer, "inference");
        assertEquals("p@ss:w/rd", r.redis().password());
        assertTrue(r.redis().isTls());
        assertEquals(2, r.redis().database());
        assertEquals(6380, r.redis().port());
        assertEquals(List.of(new RunqyWorkerRegistration.SubQueue("inference.default", 4)), r.subQueues(),
                "no sub_queues: runqy-worker's fallback <parent>.default with the queue priority");
        assertFalse(r.toString().contains("p@ss"), r.toString());
    }

    @Test
    void subQueuePrioritiesWeightTheTakeOrder() {
        List<AsynqKeys> keys = List.of(AsynqKeys.of("inference.high"), AsynqKeys.of("inference.low"));
        QueuePlan plan = QueuePlan.weighted(keys, List.of(9, 1), new Random(42));
        int highFirst = 0;
        for (int i = 0; i < 10_000; i++) {
            List<AsynqKeys> order = plan.nextOrder();
            assertEquals(2, order.size());
            if (order.get(0).queue().equals("inference.high")) {
                highFirst++;
            }
        }
        assertTrue(highFirst > 8_700 && highFirst < 9_300, "about 90% high first: " + highFirst);
        assertEquals(keys, QueuePlan.strict(keys).nextOrder());
    }
}
