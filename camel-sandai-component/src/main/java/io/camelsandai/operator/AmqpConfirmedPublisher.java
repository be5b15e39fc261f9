package io.camelsandai.operator;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

import io.camelsandai.model.BrokerUnavailableException;

/**
 * One channel in publisher-confirm mode: each publish returns a future completed when RabbitMQ confirmed it (then the
 * message is routed and, when persistent to a durable queue, on disk), so that the worker acks a task only after its
 * result or dead-letter entry is safe. A channel that closes fails every unconfirmed publish with an infrastructure
 * error: the task stays unacked and RabbitMQ redelivers it.
 */
final class AmqpConfirmedPublisher implements AutoCloseable {
    private final Channel channel;
    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> unconfirmed = new ConcurrentSkipListMap<>();

    AmqpConfirmedPublisher(Connection connection) throws IOException {
        this.channel = connection.createChannel();
        channel.confirmSelect();
        channel.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long seq, boolean multiple) {
                settle(seq, multiple, null);
            }

            @Override
            public void handleNack(long seq, boolean multiple) {
                settle(seq, multiple, new BrokerUnavailableException("RabbitMQ refused (nack) a publish", null));
            }
        });
        channel.addShutdownListener(this::failAll);
    }

    /** Publishes and returns the confirmation; never throws. */
    CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties props, byte[] body) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        synchronized (channel) { // sequence numbers are only right when publishes on the channel are serialized
            long seq = channel.getNextPublishSeqNo();
            unconfirmed.put(seq, confirmed);
            try {
                channel.basicPublish(exchange, routingKey, props, body);
            } catch (IOException | RuntimeException e) {
                unconfirmed.remove(seq);
                confirmed.completeExceptionally(new BrokerUnavailableException(
                        "cannot publish to RabbitMQ: " + e.getMessage(), e));
            }
        }
        return confirmed;
    }

    /** Declares a durable queue (the dead-letter queue) on this channel. */
    void declareDurableQueue(String queue) throws IOException {
        synchronized (channel) {
            channel.queueDeclare(queue, true, false, false, Map.of());
        }
    }

    private void settle(long seq, boolean multiple, RuntimeException error) {
        var done = multiple ? unconfirmed.headMap(seq, true) : unconfirmed.subMap(seq, true, seq, true);
        done.forEach((s, f) -> {
            if (error == null) {
                f.complete(null);
            } else {
                f.completeExceptionally(error);
            }
        });
        done.clear();
    }

    private void failAll(ShutdownSignalException cause) {
        // after a recovery the channel counts sequence numbers from 1 again: nothing older can be confirmed any more
        BrokerUnavailableException e = new BrokerUnavailableException("RabbitMQ channel closed before confirming: "
                                                                       + cause.getMessage(), null);
        Map.Entry<Long, CompletableFuture<Void>> entry;
        while ((entry = unconfirmed.pollFirstEntry()) != null) {
            entry.getValue().completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
            // closing anyway
        }
    }
}
