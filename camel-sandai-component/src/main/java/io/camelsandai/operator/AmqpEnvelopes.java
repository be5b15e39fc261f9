package io.camelsandai.operator;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.LongString;

import io.camelsandai.codec.TaskEnvelope;

/**
 * Reads an AMQP delivery straight into the {@link TaskEnvelope} the task logic ({@link TaskProcessor}) works on: the
 * application headers are the protocol-v2 headers, the basic properties become kombu's {@code properties}, and the
 * body stays as delivered (bytes) until the processor has accepted the content type, so a pickle or unknown content
 * type is refused before the body is read. Nothing is re-encoded: the client already parsed the frames.
 *
 * <p>Header values come out as the Redis path's JSON reading gives them (texts for AMQP long strings, as py-amqp
 * decodes them; {@link Long} for every integer; {@link Double} for decimals and floats; epoch seconds for
 * timestamps), so a handler sees the same {@code headers()} from either broker.
 */
final class AmqpEnvelopes {
    private AmqpEnvelopes() {
    }

    /** The task envelope of one delivery. */
    static TaskEnvelope read(Envelope envelope, AMQP.BasicProperties props, byte[] body) {
        return TaskEnvelope.of(props.getHeaders() == null ? Map.of() : plain(props.getHeaders()),
                properties(envelope, props), props.getContentType(), props.getContentEncoding(), body);
    }

    /**
     * The properties kombu's AMQP transport gives a Celery worker, under kombu's names: {@code redelivered} and
     * {@code delivery_info} are what {@code task.request.delivery_info} and {@code inspect active} report.
     */
    static Map<String, Object> properties(Envelope envelope, AMQP.BasicProperties props) {
        Map<String, Object> info = new HashMap<>(4);
        info.put("exchange", envelope.getExchange());
        info.put("routing_key", envelope.getRoutingKey());
        Map<String, Object> properties = new HashMap<>(8);
        properties.put("correlation_id", props.getCorrelationId());
        properties.put("reply_to", props.getReplyTo());
        properties.put("delivery_mode", props.getDeliveryMode() == null ? null : props.getDeliveryMode().longValue());
        properties.put("delivery_info", info);
        properties.put("priority", props.getPriority() == null ? 0L : props.getPriority().longValue());
        properties.put("redelivered", envelope.isRedeliver());
        return properties;
    }

    /** An AMQP field table as plain Java values (the Java client reads a table into a hash map: no wire order). */
    static Map<String, Object> plain(Map<String, Object> table) {
        Map<String, Object> out = new LinkedHashMap<>(Math.max(16, table.size() * 2));
        table.forEach((k, v) -> out.put(k, plainValue(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object plainValue(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long) {
            return v;
        }
        if (v instanceof LongString s) {
            return new String(s.getBytes(), StandardCharsets.UTF_8);
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float || v instanceof Double || v instanceof BigDecimal) {
            return ((Number) v).doubleValue();
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
            return plainValue(Arrays.asList(array));
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
