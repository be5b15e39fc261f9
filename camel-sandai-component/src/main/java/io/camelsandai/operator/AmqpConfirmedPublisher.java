package io.camelsandai.operator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

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
    private volatile AmqpAcks heldAcks;
    private final Queue<Publish> pending = new ConcurrentLinkedQueue<>();
    private final ReentrantLock channelLock = new ReentrantLock();

    private record Publish(String exchange, String routingKey, AMQP.BasicProperties props, byte[] body,
                           CompletableFuture<Void> confirmed) {
    }

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

    /**
     * Publishes and returns the confirmation; never throws, never waits for another publishing thread: the publish is
     * queued and whoever holds the channel sends it (see {@link #drain()}).
     */
    CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties props, byte[] body) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        pending.add(new Publish(exchange, routingKey, props, body, confirmed));
        drain();
        return confirmed;
    }

    /**
     * Sequence numbers are only right when publishes on the channel are serialized. Profiling showed the task threads
     * queueing on that lock (and spinning for it, on two cores) for most of their time; now the thread that gets the
     * lock sends every queued publish, also those queued meanwhile, and the others return at once.
     */
    private void drain() {
        while (!pending.isEmpty() && channelLock.tryLock()) {
            List<Runnable> failures = new ArrayList<>(); // completed outside the lock: continuations requeue tasks
            try {
                Publish p;
                while ((p = pending.poll()) != null) {
                    long seq = channel.getNextPublishSeqNo();
                    unconfirmed.put(seq, p.confirmed());
                    try {
                        channel.basicPublish(p.exchange(), p.routingKey(), p.props(), p.body());
                    } catch (IOException | RuntimeException e) {
                        unconfirmed.remove(seq);
                        CompletableFuture<Void> f = p.confirmed();
                        failures.add(() -> f.completeExceptionally(new BrokerUnavailableException(
                                "cannot publish to RabbitMQ: " + e.getMessage(), e)));
                    }
                }
            } finally {
                channelLock.unlock();
            }
            failures.forEach(Runnable::run);
        }
    }

    /**
     * The acks that confirmations release are held while one confirm batch is settled and sent together at its end,
     * so that one {@code basic.ack(multiple=true)} can settle many tasks (see {@link AmqpAcks}).
     */
    void holdAcksWhileSettling(AmqpAcks acks) {
        heldAcks = acks;
    }

    /** Declares a durable queue (the dead-letter queue) on this channel. */
    void declareDurableQueue(String queue) throws IOException {
        channelLock.lock();
        try {
            channel.queueDeclare(queue, true, false, false, Map.of());
        } finally {
            channelLock.unlock();
        }
    }

    private void settle(long seq, boolean multiple, RuntimeException error) {
        var done = multiple ? unconfirmed.headMap(seq, true) : unconfirmed.subMap(seq, true, seq, true);
        List<CompletableFuture<Void>> settled = new ArrayList<>(done.values());
        done.clear();
        AmqpAcks acks = heldAcks;
        if (acks != null) {
            AmqpAcks.hold();
        }
        try {
            settled.forEach(f -> {
                if (error == null) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(error);
                }
            });
        } finally {
            if (acks != null) {
                acks.release();
            }
        }
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
