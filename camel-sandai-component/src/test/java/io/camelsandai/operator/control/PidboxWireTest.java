package io.camelsandai.operator.control;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.KombuKeys;
import io.camelsandai.codec.MalformedMessageException;
import io.camelsandai.codec.PythonJson;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pidbox bytes as captured with MONITOR from a stock Celery 5.2.6 worker and client (redis-cli, 2026-11). */
class PidboxWireTest {
    /** {@code app.control.inspect(timeout=1).ping()} as PUBLISHed on {@code /0.celery.pidbox}. */
    static final String CAPTURED_PING = "{\"body\": \"eyJtZXRob2QiOiAicGluZyIsICJhcmd1bWVudHMiOiB7fSwgImRlc3RpbmF0aW9uIjog"
            + "bnVsbCwgInBhdHRlcm4iOiBudWxsLCAibWF0Y2hlciI6IG51bGwsICJ0aWNrZXQiOiAiMjJjNjA5YzAtNzhiOC00ZDlmLTg0M2QtM2FkZTZi"
            + "NWExMTc1IiwgInJlcGx5X3RvIjogeyJleGNoYW5nZSI6ICJyZXBseS5jZWxlcnkucGlkYm94IiwgInJvdXRpbmdfa2V5IjogIjk5YWQ4MGY5"
            + "LTFlNzAtMzRmZC04YzAyLTRmYWY3ZjM0N2ZiMyJ9fQ==\", \"content-encoding\": \"utf-8\", \"content-type\": "
            + "\"application/json\", \"headers\": {\"clock\": 1, \"expires\": 1795438523.5555367}, \"properties\": "
            + "{\"delivery_mode\": 2, \"delivery_info\": {\"exchange\": \"celery.pidbox\", \"routing_key\": \"\"}, "
            + "\"priority\": 0, \"body_encoding\": \"base64\", \"delivery_tag\": \"66bf5b19-2121-46dd-915e-c78abbcdb61b\"}}";
    /** The worker's LPUSH to {@code 99ad80f9-....reply.celery.pidbox}, delivery tag aside. */
    static final String CAPTURED_PONG = "{\"body\": \"eyJ3MUBob3N0eCI6IHsib2siOiAicG9uZyJ9fQ==\", \"content-encoding\": "
            + "\"utf-8\", \"content-type\": \"application/json\", \"headers\": {\"ticket\": "
            + "\"22c609c0-78b8-4d9f-843d-3ade6b5a1175\", \"clock\": 3}, \"properties\": {\"delivery_mode\": 1, "
            + "\"delivery_info\": {\"exchange\": \"reply.celery.pidbox\", \"routing_key\": "
            + "\"99ad80f9-1e70-34fd-8c02-4faf7f347fb3\"}, \"priority\": 0, \"body_encoding\": \"base64\", "
            + "\"delivery_tag\": \"2081e38d-0ce6-46a5-9185-dbe38e9d0cfd\"}}";

    @Test
    void parsesTheCapturedPingAndRepliesWithTheCapturedBytes() {
        PidboxMessage ping = PidboxMessage.parse(CAPTURED_PING.getBytes(StandardCharsets.UTF_8));
        assertEquals("ping", ping.method());
        assertEquals(Map.of(), ping.arguments());
        assertNull(ping.destination());
        assertEquals("22c609c0-78b8-4d9f-843d-3ade6b5a1175", ping.ticket());
        assertEquals("reply.celery.pidbox", ping.replyExchange());
        assertEquals("99ad80f9-1e70-34fd-8c02-4faf7f347fb3", ping.replyRoutingKey());
        assertEquals(1, ping.clock());
        assertTrue(ping.isFor("w1@hostx"));

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("w1@hostx", ControlCommands.ok("pong"));
        String ours = new String(KombuEnvelope.reply(body, ContentType.JSON, ping.replyExchange(),
                ping.replyRoutingKey(), ping.ticket(), 3), StandardCharsets.US_ASCII);
        String tag = (String) ((Map<?, ?>) ((Map<?, ?>) PythonJson.decode(ours)).get("properties")).get("delivery_tag");
        assertEquals(CAPTURED_PONG.replace("2081e38d-0ce6-46a5-9185-dbe38e9d0cfd", tag), ours);
    }

    @Test
    void destinationAndPatternFilterAsKombu() {
        assertTrue(message(List.of("a@h", "b@h"), null, null).isFor("b@h"));
        assertFalse(message(List.of("a@h"), null, null).isFor("b@h"));
        assertTrue(message(List.of(), null, null).isFor("b@h"), "an empty destination list means everybody");
        assertTrue(message(null, "sandai-*@*", "glob").isFor("sandai-op-v1-7@host"));
        assertFalse(message(null, "celery@*", "glob").isFor("sandai-op-v1-7@host"));
        assertTrue(message(null, "sandai-op", "pcre").isFor("sandai-op-v1-7@host"), "re.match: anchored at start");
        assertFalse(message(null, "op-v1", "pcre").isFor("sandai-op-v1-7@host"));
        assertFalse(message(null, "(", "pcre").isFor("x"), "a bad pattern matches nobody");
    }

    private static PidboxMessage message(List<String> destination, String pattern, String matcher) {
        return new PidboxMessage("ping", Map.of(), destination, pattern, matcher, null, null, null, 0,
                ContentType.JSON);
    }

    @Test
    void malformedMessagesAreRefusedWithAClearError() {
        for (String bad : List.of("nope", "[]", "{}", "{\"body\": 1, \"content-type\": \"application/json\"}",
                "{\"body\": \"[1]\", \"content-type\": \"application/json\"}",
                "{\"body\": \"{\\\"method\\\": 5}\", \"content-type\": \"application/json\"}",
                "{\"body\": \"{\\\"method\\\": \\\"x\\\", \\\"arguments\\\": []}\", \"content-type\": "
                + "\"application/json\"}")) {
            assertThrows(RuntimeException.class, () -> PidboxMessage.parse(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
        assertThrows(MalformedMessageException.class, () -> PidboxMessage.parse(new byte[] {(byte) 0xff, 0}));
    }

    @Test
    void repliesGoToEveryQueueBoundWithTheRoutingKey() {
        String sep = KombuKeys.SEP;
        Set<byte[]> members = Set.of(("abc" + sep + sep + "abc.reply.celery.pidbox").getBytes(StandardCharsets.UTF_8),
                ("other" + sep + sep + "other.reply.celery.pidbox").getBytes(StandardCharsets.UTF_8),
                "garbage".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("abc.reply.celery.pidbox"), RedisRemoteControl.queuesBound(members, "abc"));
        assertEquals(List.of(), RedisRemoteControl.queuesBound(members, "gone"));
    }

    @Test
    void revokedIdsStayBoundedAndExpire() {
        RevokedIds bounded = new RevokedIds(3, 10_800);
        bounded.addAll(List.of("a", "b", "c", "d"));
        assertEquals(List.of("b", "c", "d"), bounded.ids());
        bounded.addAll(List.of("b"));
        bounded.addAll(List.of("e"));
        assertEquals(List.of("d", "b", "e"), bounded.ids());

        RevokedIds expiring = new RevokedIds(10, 60);
        expiring.add("old", RevokedIds.monotonicSeconds() - 61);
        expiring.add("new", RevokedIds.monotonicSeconds());
        assertFalse(expiring.contains("old"));
        assertTrue(expiring.contains("new"));
        assertEquals(List.of("new"), expiring.ids());
    }
}
