package io.camelsandai.operator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.EnvelopeScan;
import io.camelsandai.codec.KombuKeys;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.codec.TaskMessage;
import io.camelsandai.model.Priority;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.transport.LuaScript;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cheap paths of the Redis worker: take.lua finds the delivery tag by a text scan instead of decoding each
 * message, and complete.lua answers the results and acks of many tasks in one call. Both must say exactly what the
 * full decode and the one-task-per-call scripts said.
 */
class TakeAndCompleteScriptsTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();

    private RuntimeFixture fx;
    private RuntimeKeys keys;

    @BeforeEach
    void setUp() {
        fx = new RuntimeFixture(redis);
        keys = new RuntimeKeys(fx.settings().build());
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    /** One message of take.lua's reply; for kind 2 (dead-lettered for its size) {@code raw} is null. */
    private record Taken(long kind, String tag, String raw, long oversizeBytes, String taskId) {
    }

    private List<Taken> take(int max) {
        return take(max, 16 * 1024 * 1024);
    }

    private List<Taken> take(int max, int maxBytes) {
        return parse(takeReply(max, maxBytes));
    }

    private static List<Taken> parse(List<?> flat) {
        List<Taken> out = new ArrayList<>();
        for (int i = 0; i < flat.size(); i += 4) {
            long kind = (Long) flat.get(i);
            String tag = new String((byte[]) flat.get(i + 1), StandardCharsets.UTF_8);
            if (kind == 2L) {
                List<?> payload = (List<?>) flat.get(i + 3);
                out.add(new Taken(kind, tag, null, (Long) payload.get(0),
                        new String((byte[]) payload.get(1), StandardCharsets.UTF_8)));
            } else {
                out.add(new Taken(kind, tag, new String((byte[]) flat.get(i + 3), StandardCharsets.UTF_8), -1, null));
            }
        }
        return out;
    }

    private List<?> takeReply(int max, int maxBytes) {
        return takeReply(fx.jedis, max, maxBytes);
    }

    private List<?> takeReply(Jedis jedis, int max, int maxBytes) {
        List<byte[]> args = new ArrayList<>(List.of(LuaScript.bytes(Integer.toString(max)),
                LuaScript.bytes(Integer.toString(maxBytes)), LuaScript.bytes("test:1:")));
        args.addAll(keys.takeQueueArgs());
        return (List<?>) RuntimeScripts.TAKE.eval(jedis, keys.takeKeys(), args);
    }

    /** The bytes of a script reply as RESP puts them on the wire (headers included). */
    private static long wireBytes(Object reply) {
        if (reply instanceof List<?> list) {
            long n = 3 + Integer.toString(list.size()).length();
            for (Object o : list) {
                n += wireBytes(o);
            }
            return n;
        }
        if (reply instanceof byte[] b) {
            return 5 + Integer.toString(b.length).length() + b.length;
        }
        return 3 + String.valueOf(reply).length();
    }

    /** What a full JSON decode reads as the tag: properties.delivery_tag when it is a non-empty string. */
    @SuppressWarnings("unchecked")
    private static String decodedTag(String raw) {
        try {
            Object env = PythonJson.decode(raw);
            if (env instanceof Map<?, ?> m && m.get("properties") instanceof Map<?, ?> p
                && p.get("delivery_tag") instanceof String s && !s.isEmpty()) {
                return s;
            }
        } catch (RuntimeException e) {
            // not JSON
        }
        return null;
    }

    private String envelope(String tag) {
        return fx.message(Priority.NORMAL, Map.of("options", Map.of())).deliveryTag(tag).build().toEnvelope();
    }

    @Test
    void theScannedTagIsTheTagAFullDecodeReads() {
        String queueJson = new String(PythonJson.encode(RuntimeFixture.queue(Priority.NORMAL)), StandardCharsets.UTF_8);
        List<String> sent = List.of(
                envelope("plain-tag"),
                // a decoy key in the headers, before the properties: two keys, decided by the full decode
                envelope("after-decoy").replace("\"headers\": {", "\"headers\": {\"delivery_tag\": \"decoy\", "),
                // the key's text inside a string value is no key
                envelope("inside-string").replace("\"headers\": {",
                        "\"headers\": {\"note\": \"{\\\"delivery_tag\\\": \\\"decoy\\\"}\", "),
                // escapes in the tag: the scan cannot read it, the decode can
                envelope("quote\"d"),
                envelope("uni\u00e9code"),
                // no usable tag at all
                envelope("x").replaceFirst("\"delivery_tag\": \"x\"", "\"delivery_tag\": 42"),
                envelope("x").replaceFirst("\"delivery_tag\": \"x\"", "\"delivery_tag\": \"\""),
                // other writers' spacing: the scan's general rules, not json.dumps' two-byte checks
                changed(envelope("compact"), "\"delivery_tag\": \"compact\"", "\"delivery_tag\":\"compact\""),
                changed(envelope("spaced"), ", \"delivery_tag\": ", " ,\n\t \"delivery_tag\" :  "),
                changed(changed(envelope("first"), ", \"delivery_tag\": \"first\"", ""), "\"properties\": {",
                        "\"properties\": {\"delivery_tag\": \"first\", "),
                envelope("back\\slash"));
        for (String raw : sent) {
            fx.pushRaw(RuntimeFixture.queue(Priority.NORMAL), raw);
        }
        List<Taken> taken = take(100);
        assertEquals(sent.size(), taken.size());
        for (int i = 0; i < sent.size(); i++) {
            Taken t = taken.get(i);
            String expected = decodedTag(sent.get(i));
            assertEquals(sent.get(i), t.raw(), "message " + i + " comes back byte for byte");
            if (expected == null) {
                assertEquals(0L, t.kind(), "message " + i + " has no usable tag: " + t.tag());
                assertNotNull(fx.jedis.hget(keys.malformedHash, t.tag()));
            } else {
                assertEquals(1L, t.kind(), "message " + i);
                assertEquals(expected, t.tag(), "message " + i);
                assertEquals("[" + sent.get(i) + ", \"\", " + queueJson + "]", fx.jedis.hget(KombuKeys.UNACKED, t.tag()));
                assertNotNull(fx.jedis.zscore(KombuKeys.UNACKED_INDEX, t.tag()));
            }
        }
        assertEquals(9L, fx.jedis.hlen(KombuKeys.UNACKED));
        assertEquals(9L, fx.jedis.zcard(KombuKeys.UNACKED_INDEX));
    }

    private int serverMajorVersion() {
        String info = fx.jedis.info("server");
        int at = info.indexOf("redis_version:") + "redis_version:".length();
        return Integer.parseInt(info.substring(at, info.indexOf('.', at)));
    }

    private static String changed(String raw, String from, String to) {
        assertTrue(raw.contains(from), "the envelope has " + from);
        return raw.replace(from, to);
    }

    /** A task whose envelope is at least {@code bytes} long (a padded option; the body is base64 in it). */
    private TaskMessage padded(int bytes) {
        int pad = bytes * 3 / 4;
        while (true) {
            TaskMessage m = fx.message(Priority.NORMAL, Map.of("options", Map.of("pad", "x".repeat(pad)))).build();
            if (m.toEnvelope().length() >= bytes) {
                return m;
            }
            pad += 256;
        }
    }

    @Test
    void anOversizeMessageIsDeadLetteredInsideRedisAndOnlyItsTaskIdComesBack() {
        int limit = 4096;
        String list = RuntimeFixture.queue(Priority.NORMAL);
        TaskMessage four = padded(4 * limit);
        TaskMessage hundred = padded(100 * limit);
        String noId = padded(4 * limit).toEnvelope().replaceFirst("\"correlation_id\": \"[^\"]*\", ", "");
        TaskMessage small = fx.message(Priority.NORMAL, Map.of("options", Map.of())).build();
        List<String> sent = List.of(four.toEnvelope(), hundred.toEnvelope(), noId, small.toEnvelope());
        sent.forEach(raw -> fx.pushRaw(list, raw));

        // take.lua stamps Redis's clock, whatever the JVM's says; 1 ms of slack for the whole milliseconds
        double redisBefore = Restorer.redisNow(fx.jedis) - 0.001;
        List<?> reply = takeReply(10, limit);
        double redisAfter = Restorer.redisNow(fx.jedis) + 0.001;
        List<Taken> taken = parse(reply);
        assertEquals(List.of(2L, 2L, 2L, 1L), taken.stream().map(Taken::kind).toList());
        for (Taken refused : taken.subList(0, 3)) { // synthetic tags: Redis time in ms, then the JVM's prefix
            double stamped = Long.parseLong(refused.tag().substring(0, refused.tag().indexOf(':'))) / 1000.0;
            assertTrue(stamped >= redisBefore && stamped <= redisAfter, refused.tag());
        }
        assertEquals(List.of(four.id(), hundred.id(), ""), taken.subList(0, 3).stream().map(Taken::taskId).toList(),
                "the task id comes back; none when the envelope has no correlation_id");
        for (int i = 0; i < 3; i++) {
            assertEquals(sent.get(i).length(), taken.get(i).oversizeBytes());
            assertNull(taken.get(i).raw());
        }
        assertEquals(small.toEnvelope(), taken.get(3).raw(), "a message within the limit comes back whole");
        // the reply is what Redis sends the JVM: the small message plus a few dozen bytes for each refused one
        long overSmall = wireBytes(reply) - wireBytes(reply.subList(12, 16));
        assertTrue(overSmall < 3 * 128, "bytes sent for three oversize messages of " + sent.get(0).length() + ", "
                + sent.get(1).length() + " and " + sent.get(2).length() + " bytes: " + overSmall);

        // whole in the dead-letter list with the reason, in the record TaskProcessor writes; in flight nowhere
        assertEquals(3L, fx.jedis.llen("sandai.dead-letter"));
        for (int i = 0; i < 3; i++) {
            byte[] entry = fx.jedis.lindex("sandai.dead-letter".getBytes(StandardCharsets.UTF_8), 2 - i);
            Map<?, ?> record = (Map<?, ?>) PythonJson.decode(entry);
            assertEquals(List.of("reason", "queue", "received_at", "message"), List.copyOf(record.keySet()));
            assertEquals("message of " + sent.get(i).length() + " bytes exceeds maxMessageBytes " + limit,
                    record.get("reason"));
            assertEquals(list, record.get("queue"));
            double receivedAt = assertInstanceOf(Double.class, record.get("received_at"));
            assertTrue(receivedAt >= redisBefore && receivedAt <= redisAfter, "received_at is Redis time: " + receivedAt);
            assertEquals(sent.get(i), record.get("message"), "message " + i + " is kept whole");
        }
        assertEquals(0L, fx.jedis.hlen(keys.malformedHash));
        assertEquals(List.of(taken.get(3).tag()), new ArrayList<>(fx.jedis.hkeys(KombuKeys.UNACKED)));
        assertEquals(1L, fx.jedis.zcard(KombuKeys.UNACKED_INDEX));
    }

    /** take.lua reads an oversize message's task id by the rules of codec/EnvelopeScan, which the JVM uses. */
    @Test
    void theTaskIdOfAnOversizeMessageIsReadAsEnvelopeScanReadsIt() {
        TaskMessage trap = fx.message(Priority.NORMAL, Map.of("options", Map.of("trap", "\"correlation_id\": \"evil\"")))
                .build();
        List<String> sent = List.of(trap.toEnvelope(),
                "{\"body\": \"eHg=\"}",
                "{\"properties\": {\"correlation_id\": \"a\"}, \"x\": {\"correlation_id\": \"b\"}}",
                "{\"properties\": {\"correlation_id\": 5}}",
                "{\"properties\": {\"correlation_id\": \"a\\u0041\"}}",
                "{\"properties\": {\"correlation_id\": \"\"}}",
                "{\"properties\": {\"correlation_id\": \"" + "a".repeat(255) + "\"}}",
                "{\"properties\": {\"correlation_id\": \"" + "a".repeat(256) + "\"}}",
                "{\"properties\": {\"correlation_id\": \"unterminated",
                "{\"properties\": {\"correlation_id\": \"tab\there\"}}",
                "{\"x\": \"\\\"correlation_id\\\": \\\"inside\\\"\"}",
                "{\"properties\":{\"correlation_id\"\n :\t\"abc\"}}");
        sent.forEach(raw -> fx.pushRaw(RuntimeFixture.queue(Priority.NORMAL), raw));
        List<Taken> taken = take(100, 8);
        assertEquals(sent.size(), taken.size());
        for (int i = 0; i < sent.size(); i++) {
            String expected = EnvelopeScan.taskId(sent.get(i).getBytes(StandardCharsets.UTF_8));
            assertEquals(2L, taken.get(i).kind(), sent.get(i));
            assertEquals(expected == null ? "" : expected, taken.get(i).taskId(), sent.get(i));
        }
        assertEquals(trap.id(), taken.get(0).taskId());
        assertEquals("abc", taken.get(sent.size() - 1).taskId());
    }

    /** Not ASCII: its record may need base64, which the JVM writes, so it takes the malformed way as before. */
    @Test
    void anOversizeMessageThatIsNotAsciiIsKeptAsMalformedForTheJvm() {
        int limit = 4096;
        String small = padded(2 * limit).toEnvelope().replace("\"headers\": {", "\"headers\": {\"note\": \"caf\u00e9\", ");
        // over 2 MiB the script looks at the text in pieces: the one high byte is near the end, in the last piece
        String big = padded(3 * 1024 * 1024).toEnvelope();
        big = big.substring(0, big.length() - 2) + ", \"note\": \"\u00e9\"}}";
        TaskMessage bigAscii = padded(3 * 1024 * 1024);
        List<String> sent = List.of(small, big, bigAscii.toEnvelope());
        sent.forEach(raw -> fx.pushRaw(RuntimeFixture.queue(Priority.NORMAL), raw));
        List<Taken> taken = take(10, limit);
        assertEquals(3, taken.size());
        assertEquals(2L, taken.get(2).kind(), "the same size all ASCII is dead-lettered in Redis");
        assertEquals(bigAscii.id(), taken.get(2).taskId());
        for (int i = 0; i < 2; i++) {
            assertEquals(0L, taken.get(i).kind());
            assertEquals(sent.get(i), taken.get(i).raw());
            assertNotNull(fx.jedis.hget(keys.malformedHash, taken.get(i).tag()));
        }
        assertEquals(1L, fx.jedis.llen("sandai.dead-letter"));
    }

    @Test
    void oneRoundTakesAcrossListsInStrictPriorityAndStopsAtItsMax() {
        for (int i = 0; i < 700; i++) { // more than one HSET chunk of take.lua
            fx.pushRaw(RuntimeFixture.queue(Priority.LOW), envelope("low-" + i));
        }
        fx.pushRaw(RuntimeFixture.queue(Priority.HIGH), envelope("high-0"));
        List<Taken> first = take(650);
        assertEquals(650, first.size());
        assertEquals("high-0", first.get(0).tag());
        for (int i = 1; i < first.size(); i++) {
            assertEquals("low-" + (i - 1), first.get(i).tag(), "oldest first, as RPOP takes them");
        }
        assertEquals(650L, fx.jedis.hlen(KombuKeys.UNACKED));
        assertEquals(650L, fx.jedis.zcard(KombuKeys.UNACKED_INDEX));
        assertEquals(51, take(1000).size());
        assertEquals(0, take(1000).size());
    }

    @Test
    void anIdleRoundCostsRedisOneCommandInsideTheScript() {
        fx.jedis.configResetStat();
        assertEquals(0, take(32).size());
        String stats = fx.jedis.info("commandstats");
        // Redis 7: one LMPOP that finds every list empty; before 7.0 one EXISTS over them
        assertEquals(1, commandCalls("lmpop") + commandCalls("exists"), stats);
        assertFalse(stats.contains("cmdstat_rpop"), "an idle round pops nothing: " + stats);
        assertFalse(stats.contains("cmdstat_time"), stats);
    }

    @Test
    void aRoundPopsNoListAfterTheLastNonEmptyOneAndNoneTwice() {
        String low = RuntimeFixture.queue(Priority.LOW);
        int lowIndex = keys.listKeys.indexOf(low);
        assertTrue(lowIndex > 0, "the low queue's own list comes after the others");

        boolean lmpop = serverMajorVersion() >= 7;
        // one task, in the first list: one pop (it returns fewer than asked, so the list is drained); Redis 7 asks
        // the other lists with one more LMPOP, older servers pop no other list (EXISTS counted one non-empty list)
        fx.pushRaw(keys.listKeys.get(0), envelope("first"));
        fx.jedis.configResetStat();
        assertEquals(List.of("first"), take(32).stream().map(Taken::tag).toList());
        assertEquals(lmpop ? 2 : 1, commandCalls("rpop") + commandCalls("lmpop"));

        // one task further down: Redis 7 finds its list with one LMPOP and the rest empty with a second; before 7.0
        // each list up to it is popped once (and found empty), none after it
        fx.pushRaw(low, envelope("low"));
        fx.jedis.configResetStat();
        assertEquals(List.of("low"), take(32).stream().map(Taken::tag).toList());
        if (lmpop) {
            assertEquals(2, commandCalls("lmpop"));
            assertEquals(0, commandCalls("rpop"));
        } else {
            assertEquals(lowIndex + 1, commandCalls("rpop"));
        }

        // two non-empty lists with the round's max reached in the first: the second keeps its task for the next round
        fx.pushRaw(keys.listKeys.get(0), envelope("a1"));
        fx.pushRaw(keys.listKeys.get(0), envelope("a2"));
        fx.pushRaw(low, envelope("b1"));
        assertEquals(List.of("a1"), take(1).stream().map(Taken::tag).toList());
        assertEquals(List.of("a2", "b1"), take(32).stream().map(Taken::tag).toList());
        assertEquals(0, take(32).size());
        assertEquals(5L, fx.jedis.hlen(KombuKeys.UNACKED), "every task taken is recorded in flight");
    }

    /**
     * A server that refuses LMPOP (older than 7.0; here a user denied it, which the script sees the same way) is
     * taken from list by list with RPOP, in the same strict order.
     */
    @Test
    void withoutLmpopTheRoundPopsListByListInTheSameOrder() {
        fx.jedis.sendCommand(Protocol.Command.ACL, "SETUSER", "no-lmpop", "on", "nopass", "~*", "&*", "+@all",
                "-lmpop");
        String low = RuntimeFixture.queue(Priority.LOW);
        fx.pushRaw(low, envelope("low"));
        fx.pushRaw(keys.listKeys.get(1), envelope("high-3"));
        fx.pushRaw(keys.listKeys.get(0), envelope("high-a"));
        fx.pushRaw(keys.listKeys.get(0), envelope("high-b"));
        try (Jedis old = redis.newJedis()) {
            old.auth("no-lmpop", "any");
            fx.jedis.configResetStat();
            List<Taken> taken = parse(takeReply(old, 3, 16 * 1024 * 1024));
            assertEquals(List.of("high-a", "high-b", "high-3"), taken.stream().map(Taken::tag).toList());
            assertEquals(0, commandCalls("lmpop"), "refused calls are not counted as calls");
            assertEquals(2, commandCalls("rpop"));
            assertEquals(List.of("low"), parse(takeReply(old, 32, 16 * 1024 * 1024)).stream().map(Taken::tag).toList());
        }
        assertEquals(4L, fx.jedis.hlen(KombuKeys.UNACKED));
    }

    /** A tag found outside the properties (the properties have none) is no usable tag: refused, as before. */
    @Test
    void aTagOnlyOutsideThePropertiesIsRefused() {
        fx.start(b -> b, OperatorRuntimeTest.echo());
        var m = fx.message(Priority.NORMAL, Map.of("options", Map.of())).deliveryTag("gone").build();
        String raw = m.toEnvelope().replaceFirst(", \"delivery_tag\": \"gone\"", "")
                .replace("\"headers\": {", "\"headers\": {\"delivery_tag\": \"decoy\", ");
        assertNull(decodedTag(raw));
        fx.pushRaw(m.listKey(), raw);
        ResultMeta meta = fx.awaitFinal(m.id(), Duration.ofSeconds(10));
        assertEquals(CeleryState.FAILURE, meta.status());
        assertEquals("DecodeError", ((Map<?, ?>) meta.result()).get("exc_type"));
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.jedis.llen("sandai.dead-letter") == 1
                && fx.jedis.hlen(KombuKeys.UNACKED) == 0 && fx.jedis.zcard(KombuKeys.UNACKED_INDEX) == 0);
    }

    private static List<byte[]> completeKeys(String taskId) {
        return List.of(LuaScript.bytes("celery-task-meta-" + taskId), LuaScript.bytes(KombuKeys.UNACKED),
                LuaScript.bytes(KombuKeys.UNACKED_INDEX));
    }

    private static List<byte[]> completeArgs(String status, String tag) {
        return List.of(LuaScript.bytes("{\"status\": \"" + status + "\"}"), LuaScript.bytes("60"),
                LuaScript.bytes(tag));
    }

    private void inFlight(String tag) {
        fx.jedis.hset(KombuKeys.UNACKED, tag, "[{}, \"\", \"q\"]");
        fx.jedis.zadd(KombuKeys.UNACKED_INDEX, 1, tag);
    }

    @Test
    void oneCallCompletesEachTaskOnItsOwn() {
        List<byte[]> k = new ArrayList<>();
        List<byte[]> a = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            inFlight("t" + i);
            k.addAll(completeKeys("id" + i));
            a.addAll(completeArgs("SUCCESS", "t" + i));
        }
        fx.jedis.rpush("celery-task-meta-id1", "not a string"); // WRONGTYPE for task 1 only
        fx.jedis.set("celery-task-meta-id2", "{\"status\": \"REVOKED\"}"); // a final state is kept
        List<?> replies = (List<?>) RuntimeScripts.COMPLETE.eval(fx.jedis, k, a);
        assertEquals(1L, replies.get(0));
        assertTrue(new String((byte[]) replies.get(1), StandardCharsets.UTF_8).contains("WRONGTYPE"));
        assertEquals(0L, replies.get(2));
        assertEquals(1L, replies.get(3));
        assertEquals("{\"status\": \"SUCCESS\"}", fx.jedis.get("celery-task-meta-id0"));
        assertEquals("{\"status\": \"REVOKED\"}", fx.jedis.get("celery-task-meta-id2"));
        assertEquals("{\"status\": \"SUCCESS\"}", fx.jedis.get("celery-task-meta-id3"));
        assertEquals(List.of("t1"), new ArrayList<>(fx.jedis.hkeys(KombuKeys.UNACKED)), "only the refused one stays");
    }

    @Test
    void oneCallAcksAllItsTasksWithOneZremAndOneHdel() {
        int n = 40;
        List<byte[]> k = new ArrayList<>();
        List<byte[]> a = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inFlight("t" + i);
            k.addAll(completeKeys("id" + i));
            a.addAll(completeArgs("SUCCESS", "t" + i));
        }
        inFlight("other"); // another task's entry stays
        fx.jedis.configResetStat();
        List<?> replies = (List<?>) RuntimeScripts.COMPLETE.eval(fx.jedis, k, a);
        assertEquals(n, replies.size());
        replies.forEach(r -> assertEquals(1L, r));
        assertEquals(List.of("other"), new ArrayList<>(fx.jedis.hkeys(KombuKeys.UNACKED)));
        assertEquals(List.of("other"), fx.jedis.zrange(KombuKeys.UNACKED_INDEX, 0, -1));
        assertEquals(1L, commandCalls("zrem"));
        assertEquals(1L, commandCalls("hdel"));
    }

    @Test
    void aRefusedAckFailsEveryTaskOfItsKeysButKeepsTheirResults() {
        fx.jedis.set(KombuKeys.UNACKED_INDEX, "not a sorted set");
        List<byte[]> k = new ArrayList<>();
        List<byte[]> a = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fx.jedis.hset(KombuKeys.UNACKED, "t" + i, "[{}, \"\", \"q\"]");
            k.addAll(completeKeys("id" + i));
            a.addAll(completeArgs("SUCCESS", "t" + i));
        }
        List<?> replies = (List<?>) RuntimeScripts.COMPLETE.eval(fx.jedis, k, a);
        for (int i = 0; i < 3; i++) {
            assertTrue(new String((byte[]) replies.get(i), StandardCharsets.UTF_8).contains("WRONGTYPE"));
            assertEquals("{\"status\": \"SUCCESS\"}", fx.jedis.get("celery-task-meta-id" + i));
        }
        assertEquals(3L, fx.jedis.hlen(KombuKeys.UNACKED), "nothing acked: the tasks stay to be restored");
    }

    @Test
    void theTakeStampsWholeSecondsNotBeforeRedisTime() {
        fx.pushRaw(RuntimeFixture.queue(Priority.NORMAL), envelope("stamped"));
        double before = Restorer.redisNow(fx.jedis);
        Taken t = take(1).get(0);
        double score = fx.jedis.zscore(KombuKeys.UNACKED_INDEX, t.tag());
        assertEquals(Math.rint(score), score, "a whole number of seconds: " + score);
        assertTrue(score >= before && score <= Restorer.redisNow(fx.jedis) + 1, "score " + score);
    }

    /** Calls of {@code command} since the last CONFIG RESETSTAT, from Redis's own counters (inner calls of scripts too). */
    private long commandCalls(String command) {
        return fx.jedis.info("commandstats").lines().filter(l -> l.startsWith("cmdstat_" + command + ":"))
                .map(l -> Long.parseLong(l.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"))).findFirst().orElse(0L);
    }

    @Test
    void theWriterJoinsNeighbouringCallsAndKeepsEachOutcome() {
        int n = 300;
        fx.jedis.rpush("celery-task-meta-id7", "not a string");
        fx.jedis.configResetStat();
        List<CompletableFuture<Object>> futures = new ArrayList<>();
        try (CommandBatcher writer = new CommandBatcher("test-writer", redis::newJedis, new RedisHealth("test"))) {
            for (int i = 0; i < n; i++) {
                inFlight("t" + i);
            }
            // Redis holds the writer's first call for a moment, so that the others queue up behind it as they do
            // under load; without it a writer faster than this loop sends them one by one, and nothing is tested
            fx.jedis.clientPause(300);
            for (int i = 0; i < n; i++) {
                futures.add(writer.eval(RuntimeScripts.COMPLETE, completeKeys("id" + i), completeArgs("SUCCESS", "t" + i)));
            }
            for (int i = 0; i < n; i++) {
                if (i == 7) {
                    CompletionException e = assertThrows(CompletionException.class, futures.get(i)::join);
                    assertInstanceOf(redis.clients.jedis.exceptions.JedisDataException.class, e.getCause());
                    assertTrue(e.getCause().getMessage().contains("WRONGTYPE"), e.getCause().getMessage());
                } else {
                    assertEquals(1L, futures.get(i).join(), "task " + i);
                }
            }
        }
        assertEquals(List.of("t7"), new ArrayList<>(fx.jedis.hkeys(KombuKeys.UNACKED)));
        long calls = commandCalls("evalsha");
        assertTrue(calls > 0, "no EVALSHA counted");
        // the first call alone, then up to 128 joined per call; NOSCRIPT on the first call loads the script and
        // sends that call again
        assertTrue(calls <= 2 + 2 * ((n + 127) / 128), "neighbouring calls were not joined: " + calls + " EVALSHA for " + n + " tasks");
    }
}
