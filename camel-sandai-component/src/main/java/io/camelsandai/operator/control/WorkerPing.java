package io.camelsandai.operator.control;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.KombuKeys;
import io.camelsandai.codec.PythonJson;
import redis.clients.jedis.Jedis;

/**
 * {@code celery inspect ping} from Java: broadcasts {@code ping} on the {@code celery.pidbox} fanout exchange and
 * collects the replies every worker (stock Celery, or a Sandai runtime with remote control) sends to a private reply
 * queue bound to {@code reply.celery.pidbox}, for the whole timeout, as Celery's broadcast does.
 */
public final class WorkerPing {
    static final String EXCHANGE = "celery.pidbox";
    static final String REPLY_EXCHANGE = "reply.celery.pidbox";
    private static final long POLL_SECONDS_MAX = 1;

    private WorkerPing() {
    }

    /**
     * The workers that answered within {@code timeout}: node name to its reply (e.g. {@code {"ok": "pong"}}).
     *
     * @param jedis    a connection to the broker database (used for the whole timeout)
     * @param database the broker's database number (kombu prefixes fanout channels with it)
     */
    public static Map<String, Object> ping(Jedis jedis, int database, Duration timeout) {
        String replyId = UUID.randomUUID().toString();
        String replyQueue = replyId + "." + REPLY_EXCHANGE;
        String binding = replyId + KombuKeys.SEP + KombuKeys.SEP + replyQueue;
        String bindings = KombuKeys.bindingKey(REPLY_EXCHANGE);
        jedis.sadd(bindings, binding);
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("method", "ping");
            body.put("arguments", Map.of());
            body.put("destination", null);
            body.put("pattern", null);
            body.put("matcher", null);
            body.put("ticket", UUID.randomUUID().toString());
            body.put("reply_to", Map.of("exchange", REPLY_EXCHANGE, "routing_key", replyId));
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put("clock", 1);
            headers.put("expires", System.currentTimeMillis() / 1000.0 + timeout.toMillis() / 1000.0);
            jedis.publish(("/" + database + "." + EXCHANGE).getBytes(StandardCharsets.UTF_8),
                    KombuEnvelope.transientMessage(body, ContentType.JSON, headers, EXCHANGE, ""));
            return collect(jedis, replyQueue, System.nanoTime() + timeout.toNanos());
        } finally {
            jedis.srem(bindings, binding);
            jedis.del(replyQueue);
        }
    }

    /** Every reply until the deadline; each BRPOP waits at most the time left, so the loop ends with it. */
    private static Map<String, Object> collect(Jedis jedis, String queue, long deadlineNanos) {
        Map<String, Object> replies = new LinkedHashMap<>();
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return replies;
            }
            double wait = Math.max(0.01, Math.min(POLL_SECONDS_MAX, left / 1e9));
            redis.clients.jedis.util.KeyValue<String, String> popped = jedis.brpop(wait, queue);
            if (popped != null && popped.getValue() != null) {
                replies.putAll(decode(popped.getValue()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> decode(String envelopeText) {
        try {
            Map<String, Object> envelope = (Map<String, Object>) PythonJson.decode(envelopeText);
            Map<String, Object> properties = (Map<String, Object>) envelope.getOrDefault("properties", Map.of());
            String body = (String) envelope.get("body");
            byte[] bytes = "base64".equals(properties.get("body_encoding")) ? Base64.getMimeDecoder().decode(body)
                    : body.getBytes(StandardCharsets.UTF_8);
            Object decoded = ContentType.fromMimeType((String) envelope.get("content-type")).decode(bytes);
            return decoded instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (RuntimeException e) {
            return Map.of(); // a malformed reply is not a worker
        }
    }
}
