package io.camelsandai.operator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.camelsandai.codec.KombuKeys;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.codec.TaskMessage;
import io.camelsandai.model.Priority;
import io.camelsandai.testsupport.ClockSkew;
import io.camelsandai.testsupport.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The restore pass on one clock and to kombu 5.6's priority sub-lists. The Redis here runs two hours behind the JVM
 * (an LD_PRELOAD clock shim), so a restore or heartbeat that read the JVM clock while take.lua stamps Redis TIME
 * would restore a task taken five seconds ago, or stamp an own task two hours into Redis's future.
 */
class RestorerTest {
    private static final long SKEW_SECONDS = -7_200;

    @RegisterExtension
    static final RedisServerExtension redis = ClockSkew.redis(SKEW_SECONDS);

    private RuntimeFixture fx;

    @BeforeEach
    void setUp() {
        fx = new RuntimeFixture(redis);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private Restorer restorer(List<Delivery> own) {
        OperatorRuntimeSettings s = fx.settings().visibilityTimeout(Duration.ofSeconds(60)).build();
        return new Restorer(s, new RuntimeKeys(s), redis::newJedis, () -> own);
    }

    /** Records {@code m} as kombu does at take: the unacked entry and its index score. */
    private String inFlight(TaskMessage m, double score) {
        String tag = "tag-" + m.id();
        fx.jedis.hset(KombuKeys.UNACKED, tag,
                "[" + m.toEnvelope() + ", \"\", " + new String(PythonJson.encode(m.queue()), StandardCharsets.UTF_8)
                + "]");
        fx.jedis.zadd(KombuKeys.UNACKED_INDEX, score, tag);
        return tag;
    }

    private TaskMessage message(Integer priority) {
        String id = UUID.randomUUID().toString();
        TaskMessage.Builder b = fx.message(Priority.NORMAL, Map.of("options", Map.of())).id(id).deliveryTag("tag-" + id);
        return (priority == null ? b : b.priority(priority)).build();
    }

    @Test
    void theRedisClockIsReallySkewed() {
        assumeTrue(ClockSkew.shim().isPresent(), "no C compiler for the clock shim");
        double jvm = System.currentTimeMillis() / 1000.0;
        assertTrue(Math.abs(Restorer.redisNow(fx.jedis) - (jvm + SKEW_SECONDS)) < 60, "shim not in effect");
    }

    @Test
    void restoreCutoffReadsTheRedisClock() {
        assumeTrue(ClockSkew.shim().isPresent(), "no C compiler for the clock shim");
        double now = Restorer.redisNow(fx.jedis);
        String fresh = inFlight(message(null), now - 5);   // taken 5 s ago by a worker that may be alive
        String stale = inFlight(message(null), now - 61);  // older than the 60 s visibility timeout
        try (Jedis j = redis.newJedis()) {
            assertEquals(1, restorer(List.of()).restoreExpired(j));
        }
        assertTrue(fx.jedis.hexists(KombuKeys.UNACKED, fresh), "restored a task before its visibility timeout");
        assertFalse(fx.jedis.hexists(KombuKeys.UNACKED, stale));
        assertEquals(1L, fx.jedis.llen(RuntimeFixture.queue(Priority.NORMAL)));
    }

    @Test
    void heartbeatStampsTheRedisClock() {
        assumeTrue(ClockSkew.shim().isPresent(), "no C compiler for the clock shim");
        TaskMessage m = message(null);
        String tag = inFlight(m, Restorer.redisNow(fx.jedis) - 30);
        Delivery own = Delivery.taken(tag.getBytes(StandardCharsets.UTF_8), true, m.queue(), Priority.NORMAL,
                m.toEnvelope().getBytes(StandardCharsets.UTF_8));
        restorer(List.of(own)).runOnce();
        double score = fx.jedis.zscore(KombuKeys.UNACKED_INDEX, tag);
        assertTrue(Math.abs(score - Restorer.redisNow(fx.jedis)) < 5, "heartbeat score " + score + " is not Redis time");
    }

    @Test
    void restoresToThePrioritySubListAsKombu56() {
        // priority as sent -> the list kombu 5.6's _q_for_pri(queue, _get_message_priority(payload)) names
        Map<Object, Integer> cases = new java.util.LinkedHashMap<>();
        cases.put(0, 0);
        cases.put(2, 0);
        cases.put(3, 3);
        cases.put(5, 3);
        cases.put(6, 6);
        cases.put(9, 9);
        cases.put(12, 9); // clamped to max_priority
        List<String> tags = new ArrayList<>();
        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        for (Map.Entry<Object, Integer> c : cases.entrySet()) {
            TaskMessage m = message((Integer) c.getKey());
            tags.add(inFlight(m, 1));
            expected.put(m.id(), c.getValue());
        }
        TaskMessage none = message(null);
        inFlight(none, 1);
        expected.put(none.id(), 0);
        try (Jedis j = redis.newJedis()) {
            assertEquals(expected.size(), restorer(List.of()).restoreExpired(j));
        }
        String queue = RuntimeFixture.queue(Priority.NORMAL);
        expected.forEach((id, step) -> {
            String list = KombuKeys.priorityList(queue, step);
            assertTrue(fx.jedis.lrange(list, 0, -1).stream().anyMatch(e -> e.contains(id)),
                    "task " + id + " not restored to " + list.replace(KombuKeys.SEP, "\\x06\\x16"));
        });
        assertEquals(0L, fx.jedis.hlen(KombuKeys.UNACKED));
    }

    @Test
    void aStringPriorityIsReadAsKombuReadsIt() {
        // kombu: int(properties['priority']); "7" -> 7 -> step 6; "high" -> ValueError -> default 0
        String queue = RuntimeFixture.queue(Priority.NORMAL);
        String seven = envelopeWithPriority("\"7\"");
        String high = envelopeWithPriority("\"high\"");
        for (String env : List.of(seven, high)) {
            String tag = UUID.randomUUID().toString();
            fx.jedis.hset(KombuKeys.UNACKED, tag, "[" + env + ", \"\", \"" + queue + "\"]");
            fx.jedis.zadd(KombuKeys.UNACKED_INDEX, 1, tag);
        }
        try (Jedis j = redis.newJedis()) {
            assertEquals(2, restorer(List.of()).restoreExpired(j));
        }
        assertEquals(List.of(seven), fx.jedis.lrange(KombuKeys.priorityList(queue, 6), 0, -1));
        assertEquals(List.of(high), fx.jedis.lrange(queue, 0, -1));
    }

    private static String envelopeWithPriority(String priorityJson) {
        return "{\"body\": \"e30=\", \"headers\": {\"id\": \"" + UUID.randomUUID() + "\"}, \"properties\": "
               + "{\"priority\": " + priorityJson + ", \"delivery_tag\": \"t\"}}";
    }

    @Test
    void failedPassesAreReportedOnceAMinute() {
        AtomicLong nanos = new AtomicLong(1);
        RestoreFailures failures = new RestoreFailures(nanos::get);
        RuntimeException noperm = new RuntimeException("NOPERM this user has no permissions");
        assertTrue(failures.failed(noperm), "first failure must be reported");
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        assertFalse(failures.failed(noperm), "second within a minute must be quiet");
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertTrue(failures.failed(noperm), "a minute later it is reported again");
        failures.succeeded();
        assertTrue(failures.failed(noperm), "a new run of failures is reported at once");
    }

    @Test
    void aWorkerKilledInAPassHoldsTheRestoreMutexNoLongerThanItsVisibilityTimeout() {
        OperatorRuntimeSettings s = fx.settings().visibilityTimeout(Duration.ofSeconds(2)).build();
        List<Long> expiries = new ArrayList<>(); // the mutex's remaining time, read while the pass holds it
        Restorer r = new Restorer(s, new RuntimeKeys(s), redis::newJedis, () -> {
            expiries.add(fx.jedis.pttl(KombuKeys.UNACKED_MUTEX));
            return List.of();
        });
        r.runOnce();
        long held = expiries.stream().mapToLong(Long::longValue).max().orElseThrow();
        // kill -9 cannot release it: kombu's 300 s would stop every restore for five minutes
        assertTrue(held > 0 && held <= 2_000, "mutex expiry while held: " + held + " ms");
        assertEquals(300_000, Restorer.mutexExpireMillis(fx.settings().visibilityTimeout(Duration.ofHours(1)).build()));
        assertEquals(1_000, Restorer.mutexExpireMillis(fx.settings().visibilityTimeout(Duration.ofMillis(10)).build()));
    }

    @Test
    void aRestorePassThatCannotConnectIsReportedAndDoesNotThrow() {
        OperatorRuntimeSettings s = fx.settings().build();
        Restorer broken = new Restorer(s, new RuntimeKeys(s), () -> {
            throw new redis.clients.jedis.exceptions.JedisConnectionException("Connection refused");
        }, List::of);
        broken.runOnce(); // never throws: the scheduler would stop running it
        assertNull(fx.jedis.get(KombuKeys.UNACKED_MUTEX));
    }
}
