package io.camelsandai.transport.amqp;

import java.io.IOException;
import java.util.Map;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;

/**
 * The exchanges, queues and bindings Celery 5.2 declares for a task queue, with exactly its arguments, so that a
 * Celery worker or client and this component can declare the same names in either order without a
 * {@code PRECONDITION_FAILED} (RabbitMQ refuses a re-declaration whose durability, type or arguments differ).
 *
 * <p>Captured from Celery 5.2.6 with a default configuration (see {@code docs/celery-amqp.md}): a queue named in
 * {@code send_task(queue=...)} that is not in {@code task_queues} is created as kombu's
 * {@code Queue(name, Exchange(name), routing_key=name)}:
 * <ul>
 * <li>exchange {@code name}, type {@code direct}, durable, not auto-delete, no arguments;</li>
 * <li>queue {@code name}, durable, not exclusive, not auto-delete, <b>no arguments</b>: no {@code x-max-priority}
 * (Celery only adds it when {@code task_queue_max_priority} is set, and the Sandai operator contract carries priority
 * by the four queues {@code high|normal|low|very_low.<operator>.<version>}, with Celery message priority 0);</li>
 * <li>binding of the queue to that exchange with routing key {@code name}.</li>
 * </ul>
 * Celery then publishes task messages to the default exchange ({@code ""}) with routing key {@code name}.
 */
public final class CeleryAmqpTopology {
    /** Celery publishes task messages to the default exchange, routed by queue name. */
    public static final String TASK_EXCHANGE = "";

    private CeleryAmqpTopology() {
    }

    /** Declares one task queue as Celery does (idempotent; safe to repeat, safe to race a Celery peer). */
    public static void declareTaskQueue(Channel channel, String queue) throws IOException {
        channel.exchangeDeclare(queue, BuiltinExchangeType.DIRECT, true, false, false, Map.of());
        channel.queueDeclare(queue, true, false, false, Map.of());
        channel.queueBind(queue, queue, queue, Map.of());
    }

    /** The exchange a task message for {@code queue} is published to ({@value #TASK_EXCHANGE}, the default one). */
    public static String exchangeFor(String queue) {
        return TASK_EXCHANGE;
    }

    /** The routing key a task message for {@code queue} is published with: the queue name. */
    public static String routingKeyFor(String queue) {
        return queue;
    }
}
