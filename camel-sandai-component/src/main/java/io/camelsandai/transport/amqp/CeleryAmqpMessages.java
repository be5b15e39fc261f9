package io.camelsandai.transport.amqp;

import java.util.Map;

import com.rabbitmq.client.AMQP;

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
        return new AMQP.BasicProperties.Builder()
                .contentType(message.contentType().mimeType())
                .contentEncoding(message.contentType().contentEncoding())
                .headers(message.headers(extraHeaders))
                .deliveryMode(PERSISTENT)
                .priority(message.priority())
                .correlationId(message.id())
                .replyTo(message.replyTo())
                .build();
    }
}
