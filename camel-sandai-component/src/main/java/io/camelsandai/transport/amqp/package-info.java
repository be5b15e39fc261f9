/**
 * RabbitMQ (AMQP 0-9-1) as a Celery broker, over the official {@code com.rabbitmq:amqp-client}: URLs as kombu reads
 * them ({@link io.camelsandai.transport.amqp.AmqpUrl}), recovering connections
 * ({@link io.camelsandai.transport.amqp.AmqpConnections}) and the queue declarations Celery makes
 * ({@link io.camelsandai.transport.amqp.CeleryAmqpTopology}). The bytes on the wire are in {@code docs/celery-amqp.md}.
 */
package io.camelsandai.transport.amqp;
