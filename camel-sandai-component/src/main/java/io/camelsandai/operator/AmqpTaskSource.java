package io.camelsandai.operator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;

import io.camelsandai.model.Priority;
import io.camelsandai.transport.amqp.CeleryAmqpTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes an operator's tasks from RabbitMQ: one consumer per priority queue, all on one channel whose
 * {@code basic.qos} (per channel) is the prefetch, manual acks. RabbitMQ pushes up to prefetch messages; they wait in
 * a local buffer and are handed to the task threads highest priority first (arrival order within a priority) while
 * fewer than {@code concurrency} run, so priority is strict among the delivered tasks.
 *
 * <p>Like a Celery worker, it raises the prefetch by one for each task held for its eta (up to
 * {@code maxHeldEtaTasks}), so a countdown never blocks the tasks behind it.
 *
 * <p>Connection loss: the client recovers the connection, channel and consumers; RabbitMQ has requeued every
 * unacked message, so the tags of the old connection are void (acks on them are skipped) and buffered messages are
 * dropped here: they come again. A task running across a recovery may run twice (at-least-once), never zero times.
 */
final class AmqpTaskSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpTaskSource.class);

    private record Buffered(int rank, long seq, Delivery delivery) {
    }

    private final OperatorRuntimeSettings settings;
    private final List<String> queues;
    private final PrefetchWindow window;
    private final IntSupplier heldForEta;
    private final Consumer<Delivery> onTaken;
    private final Consumer<Delivery> dispatch;
    private final Consumer<Delivery> dropped;
    private final Map<Delivery, AmqpDeliveryRef> refs = new ConcurrentHashMap<>();
    private final PriorityQueue<Buffered> buffer = new PriorityQueue<>(
            Comparator.comparingInt(Buffered::rank).thenComparingLong(Buffered::seq));
    private final AtomicLong generation = new AtomicLong();
    private final AmqpAcks acks = new AmqpAcks(() -> this.channel, generation::get);
    private final List<String> consumerTags = new ArrayList<>();
    private long seq;
    private boolean suspended;
    private boolean stopping;
    private int qos;
    private Connection connection;
    private volatile Channel channel;

    /**
     * @param onTaken  called on delivery (the runtime counts it in flight)
     * @param dispatch called when a buffered delivery may start (must not block)
     * @param dropped  called for a buffered delivery that will not run here (void after a recovery, or stopping)
     */
    AmqpTaskSource(OperatorRuntimeSettings settings, List<String> queues, PrefetchWindow window,
                   IntSupplier heldForEta, Consumer<Delivery> onTaken, Consumer<Delivery> dispatch,
                   Consumer<Delivery> dropped) {
        this.settings = settings;
        this.queues = List.copyOf(queues);
        this.window = window;
        this.heldForEta = heldForEta;
        this.onTaken = onTaken;
        this.dispatch = dispatch;
        this.dropped = dropped;
    }

    /** Declares the queues as Celery does and starts consuming on {@code connection}. */
    void start(Connection connection) throws IOException {
        this.connection = connection;
        channel = connection.createChannel();
        for (String queue : queues) {
            CeleryAmqpTopology.declareTaskQueue(channel, queue);
        }
        synchronized (this) {
            qos = settings.prefetch();
        }
        channel.basicQos(qos, true);
        if (connection instanceof Recoverable r) {
            r.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recoverable) {
                    LOG.info("RabbitMQ connection recovered; unacked tasks of the old connection come again");
                }

                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {
                    voidOldDeliveries();
                }
            });
        }
        for (int rank = 0; rank < queues.size(); rank++) {
            String queue = queues.get(rank);
            int r = rank;
            String tag = channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props,
                                           byte[] body) {
                    delivered(r, queue, envelope, props, body);
                }
            });
            consumerTags.add(tag);
        }
    }

    private void delivered(int rank, String queue, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
        long gen = generation.get();
        String tag = "amqp-" + gen + "-" + envelope.getDeliveryTag();
        Priority priority = settings.priorities().get(rank);
        Delivery d = Delivery.decoded(tag, queue, priority, body, AmqpEnvelopes.read(envelope, props, body));
        acks.opened(envelope.getDeliveryTag()); // in delivery order, before it can be acked
        refs.put(d, new AmqpDeliveryRef(envelope.getDeliveryTag(), gen, envelope, props, body));
        boolean refuse;
        synchronized (this) {
            refuse = stopping;
            if (!refuse) {
                buffer.add(new Buffered(rank, seq++, d));
            }
        }
        if (refuse) { // came between basic.cancel and its ok: straight back
            giveBack(d);
            refs.remove(d);
            return;
        }
        onTaken.accept(d);
        pump();
    }

    /** Hands buffered deliveries to the task threads while there is room; also follows the eta holds in the qos. */
    void pump() {
        List<Delivery> ready = new ArrayList<>();
        int wantedQos;
        synchronized (this) {
            while (!suspended && !stopping && !buffer.isEmpty() && window.free() > 0) {
                window.taken(1);
                ready.add(buffer.poll().delivery());
            }
            wantedQos = settings.prefetch() + Math.min(heldForEta.getAsInt(), settings.maxHeldEtaTasks());
            if (wantedQos == qos) {
                wantedQos = -1;
            } else {
                qos = wantedQos;
            }
        }
        ready.forEach(dispatch);
        if (wantedQos > 0) {
            try {
                channel.basicQos(wantedQos, true);
            } catch (IOException | RuntimeException e) {
                LOG.debug("could not change the prefetch to {}: {}", wantedQos, e.toString());
            }
        }
    }

    /** What RabbitMQ delivered for {@code d}; null once {@code d} is settled. */
    AmqpDeliveryRef ref(Delivery d) {
        return refs.get(d);
    }

    /**
     * Acks on the delivering channel (coalesced with other acks, see {@link AmqpAcks}); a tag of an earlier
     * connection is void (RabbitMQ redelivers that task).
     */
    CompletableFuture<Void> ack(Delivery d) {
        AmqpDeliveryRef ref = refs.get(d);
        if (ref == null || ref.generation() != generation.get()) {
            return CompletableFuture.completedFuture(null);
        }
        return acks.ack(ref.deliveryTag(), ref.generation());
    }

    /** The acks of this source, for the publisher to hold while it settles a confirm batch. */
    AmqpAcks acks() {
        return acks;
    }

    /** Requeues {@code d} now (best effort: when the channel is gone RabbitMQ has requeued it already). */
    void giveBack(Delivery d) {
        AmqpDeliveryRef ref = refs.get(d);
        if (ref == null || ref.generation() != generation.get()) {
            return;
        }
        try {
            acks.nack(ref.deliveryTag());
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not requeue {}: {}", d.tag(), e.toString());
        }
    }

    /** {@code d} is done here (acked, dead-lettered or given back). */
    void settled(Delivery d) {
        refs.remove(d);
        pump();
    }

    void suspend(boolean suspend) {
        synchronized (this) {
            suspended = suspend;
        }
        pump();
    }

    /** Connection lost: RabbitMQ requeues what this connection held; buffered deliveries will come again. */
    private void voidOldDeliveries() {
        List<Delivery> stale = new ArrayList<>();
        synchronized (this) {
            generation.incrementAndGet();
            acks.voidAll();
            buffer.forEach(b -> stale.add(b.delivery()));
            buffer.clear();
        }
        stale.forEach(d -> {
            refs.remove(d);
            dropped.accept(d);
        });
    }

    /** Graceful stop, first step: no more deliveries; buffered ones go back to their queues at once. */
    void stopConsuming() {
        List<Delivery> back = new ArrayList<>();
        synchronized (this) {
            stopping = true;
            buffer.forEach(b -> back.add(b.delivery()));
            buffer.clear();
        }
        for (String tag : consumerTags) {
            try {
                channel.basicCancel(tag);
            } catch (IOException | RuntimeException e) {
                LOG.debug("could not cancel consumer {}: {}", tag, e.toString());
            }
        }
        back.forEach(d -> {
            giveBack(d);
            refs.remove(d);
            dropped.accept(d);
        });
    }

    /** True while the connection is open (recovery in progress counts as not reachable). */
    boolean isOpen() {
        return connection != null && connection.isOpen() && channel != null && channel.isOpen();
    }

    /** Test hook, as {@code kill -9}: the connection drops without a word; RabbitMQ requeues everything unacked. */
    void abort() {
        if (connection != null) {
            connection.abort(1000);
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close(5000);
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing the RabbitMQ connection: {}", e.toString());
            }
        }
    }
}
