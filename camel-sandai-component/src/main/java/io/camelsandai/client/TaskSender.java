package io.camelsandai.client;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.codec.TaskMessage;

/**
 * Where an {@link OperatorClient}'s task messages go: a Redis broker ({@code redis://}, {@code rediss://},
 * {@code sentinel://}) or RabbitMQ ({@code amqp://}, {@code amqps://}), chosen by the broker URL's scheme. Results,
 * cancel keys and descriptions stay on the result backend either way.
 */
interface TaskSender extends AutoCloseable {

    /** Completes once the broker has the message (Redis reply, or RabbitMQ publisher confirm). */
    CompletableFuture<Void> send(TaskMessage message, Map<String, String> extraHeaders);

    /** True when the broker answers now. */
    boolean ping();

    /** The ready messages in each queue, in the order given. */
    Map<String, Long> queueDepths(java.util.List<String> queues);

    @Override
    void close();
}
