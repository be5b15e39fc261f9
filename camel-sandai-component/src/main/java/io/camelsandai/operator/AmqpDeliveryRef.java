package io.camelsandai.operator;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;

/**
 * What RabbitMQ delivered, kept beside the {@link Delivery} until it is settled: the tag to ack on the channel that
 * delivered it, the connection generation it belongs to (after a recovery the tag is void: RabbitMQ redelivers the
 * message), and the message itself for results ({@code reply_to}) and dead-lettering.
 */
record AmqpDeliveryRef(long deliveryTag, long generation, Envelope envelope, AMQP.BasicProperties properties,
                       byte[] body) {
}
