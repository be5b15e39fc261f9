package io.camelsandai.transport.amqp;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.ContentHeaderPropertyWriter;

import io.camelsandai.codec.TaskMessage;

/**
 * A {@link TaskMessage} as Celery 5.2 publishes it over AMQP (captured in {@code docs/celery-amqp.md}): the same body
 * bytes as the Redis envelope's, the protocol-v2 headers as application headers (String → long string, int → signed
 * 32-bit, boolean, null → void, list → array: the field types py-amqp writes), and the envelope's properties as basic
 * properties: {@code content_type}, {@code content_encoding}, {@code delivery_mode = 2}, {@code priority},
 * {@code correlation_id = id}, {@code reply_to}.
 */
public final class CeleryAmqpMessages {
    /** Persistent, as Celery's {@code task_default_delivery_mode = 'persistent'}. */
    public static final int PERSISTENT = 2;

    private CeleryAmqpMessages() {
    }

    public static AMQP.BasicProperties properties(TaskMessage message, Map<String, String> extraHeaders) {
        return new OrderedHeaders(message.contentType().mimeType(), message.contentType().contentEncoding(),
                message.headers(extraHeaders), PERSISTENT, message.priority(), message.id(), message.replyTo());
    }

    /**
     * Basic properties whose header table goes on the wire in the order given. {@code AMQP.BasicProperties} copies
     * its headers into a {@code HashMap}, which would write them in hash order; py-amqp writes a dict in insertion
     * order, so Celery's headers arrive as {@code lang, task, id, shadow, ...} and ours must too. Same fields, same
     * encoding as {@code AMQP.BasicProperties#writePropertiesTo}, only the table's order kept.
     */
    static final class OrderedHeaders extends AMQP.BasicProperties {
        private final Map<String, Object> ordered;

        OrderedHeaders(String contentType, String contentEncoding, Map<String, Object> headers, int deliveryMode,
                       int priority, String correlationId, String replyTo) {
            super(contentType, contentEncoding, headers, deliveryMode, priority, correlationId, replyTo, null, null,
                    null, null, null, null, null);
            this.ordered = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        @Override
        public Map<String, Object> getHeaders() {
            return ordered;
        }

        @Override
        public void writePropertiesTo(ContentHeaderPropertyWriter writer) throws IOException {
            writer.writePresence(getContentType() != null);
            writer.writePresence(getContentEncoding() != null);
            writer.writePresence(ordered != null);
            writer.writePresence(getDeliveryMode() != null);
            writer.writePresence(getPriority() != null);
            writer.writePresence(getCorrelationId() != null);
            writer.writePresence(getReplyTo() != null);
            writer.writePresence(getExpiration() != null);
            writer.writePresence(getMessageId() != null);
            writer.writePresence(getTimestamp() != null);
            writer.writePresence(getType() != null);
            writer.writePresence(getUserId() != null);
            writer.writePresence(getAppId() != null);
            writer.writePresence(getClusterId() != null);
            writer.finishPresence();
            if (getContentType() != null) {
                writer.writeShortstr(getContentType());
            }
            if (getContentEncoding() != null) {
                writer.writeShortstr(getContentEncoding());
            }
            if (ordered != null) {
                writer.writeTable(ordered);
            }
            if (getDeliveryMode() != null) {
                writer.writeOctet(getDeliveryMode());
            }
            if (getPriority() != null) {
                writer.writeOctet(getPriority());
            }
            if (getCorrelationId() != null) {
                writer.writeShortstr(getCorrelationId());
            }
            if (getReplyTo() != null) {
                writer.writeShortstr(getReplyTo());
            }
            // expiration, message id, timestamp, type, user id, app id, cluster id: Celery sets none of them
        }
    }
}
