package io.camelsandai.operator.control;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.PythonJson;

/**
 * The kombu envelope of a pidbox reply as {@code Mailbox._publish_reply} sends it: a transient message on the direct
 * exchange {@code reply.celery.pidbox}, headers {@code ticket} and {@code clock}, body base64.
 */
final class KombuReply {
    private KombuReply() {
    }

    static byte[] envelope(Object body, ContentType type, String exchange, String routingKey, String ticket,
                           long clock) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("body", Base64.getEncoder().encodeToString(type.encode(body)));
        m.put("content-encoding", type.contentEncoding());
        m.put("content-type", type.mimeType());
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("ticket", ticket);
        headers.put("clock", clock);
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
