package io.camelsandai.operator.control;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.PythonJson;

/**
 * The kombu envelope of the transient messages remote control sends (delivery mode 1, body base64): pidbox replies
 * as {@code Mailbox._publish_reply} sends them, and worker events as Celery's event dispatcher publishes them.
 */
final class KombuEnvelope {
    private KombuEnvelope() {
    }

    /** A pidbox reply on the direct exchange {@code reply.celery.pidbox}, headers {@code ticket} and {@code clock}. */
    static byte[] reply(Object body, ContentType type, String exchange, String routingKey, String ticket, long clock) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("ticket", ticket);
        headers.put("clock", clock);
        return transientMessage(body, type, headers, exchange, routingKey);
    }

    static byte[] transientMessage(Object body, ContentType type, Map<String, Object> headers, String exchange,
                                   String routingKey) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("body", Base64.getEncoder().encodeToString(type.encode(body)));
        m.put("content-encoding", type.contentEncoding());
        m.put("content-type", type.mimeType());
        m.put("headers", headers);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("delivery_mode", 1);
        Map<String, Object> deliveryInfo = new LinkedHashMap<>();
        deliveryInfo.put("exchange", exchange);
        deliveryInfo.put("routing_key", routingKey);
        properties.put("delivery_info", deliveryInfo);
        properties.put("priority", 0);
        properties.put("body_encoding", "base64");
        properties.put("delivery_tag", UUID.randomUUID().toString());
        m.put("properties", properties);
        return PythonJson.encode(m);
    }
}
