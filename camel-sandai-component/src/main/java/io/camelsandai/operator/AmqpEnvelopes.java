package io.camelsandai.operator;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.LongString;

import io.camelsandai.codec.PythonJson;

/**
 * Turns an AMQP delivery into the envelope kombu's virtual transports keep on Redis ({@code body} base64,
 * {@code content-type}, {@code headers}, {@code properties} with {@code delivery_info}), so that one Celery task
 * logic ({@link TaskProcessor}, {@link io.camelsandai.codec.TaskEnvelope}) reads messages from either broker. The
 * body stays as bytes inside: a pickle or unknown content type is refused by the processor before it is read.
 */
final class AmqpEnvelopes {
    private AmqpEnvelopes() {
    }

    /** The kombu envelope JSON of one delivery. */
    static byte[] envelope(Envelope envelope, AMQP.BasicProperties props, byte[] body, String deliveryTag) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("correlation_id", props.getCorrelationId());
        properties.put("reply_to", props.getReplyTo());
        properties.put("delivery_mode", props.getDeliveryMode());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("exchange", envelope.getExchange());
        info.put("routing_key", envelope.getRoutingKey());
        properties.put("delivery_info", info);
        properties.put("priority", props.getPriority() == null ? 0 : props.getPriority());
        properties.put("body_encoding", "base64");
        properties.put("delivery_tag", deliveryTag);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("body", Base64.getEncoder().encodeToString(body));
        message.put("content-encoding", props.getContentEncoding());
        message.put("content-type", props.getContentType());
        message.put("headers", props.getHeaders() == null ? Map.of() : plain(props.getHeaders()));
        message.put("properties", properties);
        return PythonJson.encode(message);
    }

    /** An AMQP field table as plain Java values (texts for AMQP long strings, as py-amqp decodes them). */
    static Map<String, Object> plain(Map<String, Object> table) {
        Map<String, Object> out = new LinkedHashMap<>();
        table.forEach((k, v) -> out.put(k, plainValue(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object plainValue(Object v) {
        if (v instanceof LongString s) {
            return new String(s.getBytes(), StandardCharsets.UTF_8);
        }
        if (v instanceof Map<?, ?> m) {
            return plain((Map<String, Object>) m);
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(e -> out.add(plainValue(e)));
            return out;
        }
        if (v instanceof Object[] array) {
            return plainValue(java.util.Arrays.asList(array));
        }
        if (v instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (v instanceof Date d) {
            return d.getTime() / 1000.0;
        }
        if (v instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return v;
    }
}
