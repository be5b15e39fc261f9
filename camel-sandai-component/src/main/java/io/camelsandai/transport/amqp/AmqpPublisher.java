package io.camelsandai.transport.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;

import io.camelsandai.model.BrokerUnavailableException;
import io.camelsandai.model.SandaiException;
import io.camelsandai.util.DaemonThreads;

/**
 * Publishes task messages to RabbitMQ with publisher confirms, on one recovering connection and one confirm-mode
 * channel.
 *
 * <p>A publish returns at once with a future that completes when the broker has <em>confirmed</em> the message
 * (persisted to the durable queue), or exceptionally with the reason it has not. Confirms are asynchronous: many
 * concurrent publishes are in flight together and the broker acknowledges them in batches ({@code multiple=true}), so
 * they share the wait while each learns its own outcome. Messages are published {@code mandatory}: one that no queue
 * takes is returned and its future fails ({@link SandaiException}, "unroutable") instead of vanishing.
 *
 * <p>Connection loss: messages not yet confirmed when the channel went down may or may not have reached the broker;
 * they are published again once the connection has recovered (at-least-once: a duplicate is possible, a loss is not),
 * as are publishes made during the outage. Each message gets {@value #MAX_ATTEMPTS} attempts and waits at most
 * {@code recoveryWait} for the connection each time; after that its future fails with a
 * {@link BrokerUnavailableException}. Nothing is ever dropped silently.
 *
 * <p>Before the first message to a queue, the queue is declared as Celery declares it ({@link CeleryAmqpTopology});
 * topology recovery re-declares it after a reconnect.
 */
public final class AmqpPublisher implements AutoCloseable {
    static final int MAX_ATTEMPTS = 3;

    /** One message for one queue, published to the default exchange with the queue as routing key. */
    public record Publish(String queue, AMQP.BasicProperties properties, byte[] body) {
    }

    private static final class Tracker {
        final ConcurrentNavigableMap<Long, Pending> unconfirmed = new ConcurrentSkipListMap<>();
        volatile boolean dead;
    }

    private static final class Pending {
        final Publish publish;
        final CompletableFuture<Void> future = new CompletableFuture<>();
        int attempts;
        volatile String returned;

        Pending(Publish publish) {
            this.publish = publish;
        }
    }

    private final AmqpUrl url;
    private final Connection connection;
    private final Duration recoveryWait;
    private final Object lock = new Object();
    private final Object recovered = new Object();
    /**
     * The unconfirmed messages of the current channel incarnation. A channel that goes down is replaced by a fresh
     * tracker, so the publish sequence numbers of the recovered channel (which start again at 1) never settle a
     * message of the lost one.
     */
    private volatile Tracker tracker = new Tracker();
    /** Returned messages are known by their correlation id (the task id): a return precedes that message's ack. */
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final Set<String> declared = ConcurrentHashMap.newKeySet();
    private final ExecutorService resender;
    private final java.util.concurrent.atomic.AtomicInteger recoveries = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Channel channel;
    private volatile boolean closed;

    public AmqpPublisher(AmqpUrl url, AmqpConnectionSettings settings, String connectionName, Duration recoveryWait)
            throws IOException {
        this.url = url;
        this.recoveryWait = recoveryWait;
        this.connection = AmqpConnections.open(url, settings, connectionName);
        this.resender = Executors.newSingleThreadExecutor(DaemonThreads.factory(connectionName + "-resend-"));
        ((Recoverable) connection).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable r) {
                recoveries.incrementAndGet();
                synchronized (recovered) {
                    recovered.notifyAll();
                }
            }

            @Override
            public void handleRecoveryStarted(Recoverable r) {
                // nothing to do until it is back
            }
        });
        synchronized (lock) {
            this.channel = openChannel();
        }
    }

    public AmqpUrl url() {
        return url;
    }

    /** True while the connection is open (false during recovery and after close). */
    public boolean isConnected() {
        return !closed && connection.isOpen();
    }

    /**
     * Messages ready in a task queue ({@code queue.declare} passive); 0 when the queue does not exist yet. Uses a
     * short-lived channel of its own, since a passive declare of a missing queue closes its channel.
     */
    public long messageCount(String queue) throws IOException {
        try (Channel ch = connection.createChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        } catch (IOException e) {
            if (isChannelLevelError(e)) {
                return 0; // 404 NOT_FOUND: nobody declared it yet
            }
            throw e;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("Timed out closing a channel to " + url, e);
        }
    }

    /** How often the connection was lost and recovered; for metrics and tests. */
    public int recoveryCount() {
        return recoveries.get();
    }

    /** Messages published and not yet confirmed (or failed); for metrics and tests. */
    public int unconfirmedCount() {
        return tracker.unconfirmed.size();
    }

    /** Completes when the broker confirmed the message; see the class comment for the failures. */
    public CompletableFuture<Void> publish(Publish publish) {
        Pending pending = new Pending(publish);
        send(pending);
        return pending.future;
    }

    private Channel openChannel() throws IOException {
        Channel ch = connection.createChannel();
        ch.confirmSelect();
        ch.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long seq, boolean multiple) {
                settle(seq, multiple, null);
            }

            @Override
            public void handleNack(long seq, boolean multiple) {
                settle(seq, multiple, "RabbitMQ " + url + " refused the task (basic.nack)");
            }
        });
        ch.addReturnListener(r -> {
            Pending p = r.getProperties() == null ? null : inFlight.get(String.valueOf(r.getProperties().getCorrelationId()));
            if (p != null) {
                p.returned = r.getReplyCode() + " " + r.getReplyText() + " (routing key " + r.getRoutingKey() + ")";
            }
        });
        ch.addShutdownListener(this::channelDown);
        declared.clear(); // a new channel: declare again before first use (cheap and idempotent)
        return ch;
    }

    private void send(Pending pending) {
        pending.attempts++;
        Publish p = pending.publish;
        String taskId = String.valueOf(p.properties().getCorrelationId());
        synchronized (lock) {
            if (closed) {
                pending.future.completeExceptionally(new SandaiException("AMQP publisher for " + url + " is closed"));
                return;
            }
            long seq = -1;
            Tracker tr = tracker;
            try {
                Channel ch = usableChannel();
                if (!declared.contains(p.queue())) {
                    CeleryAmqpTopology.declareTaskQueue(ch, p.queue());
                    declared.add(p.queue());
                }
                seq = ch.getNextPublishSeqNo();
                inFlight.put(taskId, pending);
                tr.unconfirmed.put(seq, pending);
                ch.basicPublish(CeleryAmqpTopology.exchangeFor(p.queue()), CeleryAmqpTopology.routingKeyFor(p.queue()),
                        true, p.properties(), p.body());
                // The channel may have gone down while we published, after channelDown() drained this tracker: then
                // this message would wait for an ack that never comes. Whoever removes it first resends it.
                if (tr.dead && tr.unconfirmed.remove(seq, pending)) {
                    inFlight.remove(taskId, pending);
                    retryLater(pending, new IOException("channel closed while publishing"));
                }
                return;
            } catch (IOException | ShutdownSignalException e) {
                if (seq >= 0 && !tr.unconfirmed.remove(seq, pending)) {
                    return; // the channel went down meanwhile and channelDown() already took care of it
                }
                inFlight.remove(taskId, pending);
                if (isChannelLevelError(e)) {
                    // The broker refused this queue (e.g. declared elsewhere with other arguments): permanent.
                    pending.future.completeExceptionally(new SandaiException(
                            "RabbitMQ " + url + " refused queue " + p.queue() + ": " + reason(e), e));
                    return;
                }
                retryLater(pending, e);
            }
        }
    }

    /** The channel, re-opened if the broker closed it for a channel error while the connection stayed up. */
    private Channel usableChannel() throws IOException {
        Channel ch = channel;
        if (!ch.isOpen() && connection.isOpen()) {
            ch = openChannel();
            channel = ch;
        }
        return ch;
    }

    private static boolean isChannelLevelError(Exception e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof ShutdownSignalException s) {
                return !s.isHardError() && !s.isInitiatedByApplication();
            }
            t = t.getCause();
        }
        return false;
    }

    private void retryLater(Pending pending, Exception cause) {
        if (closed || pending.attempts >= MAX_ATTEMPTS) {
            pending.future.completeExceptionally(new BrokerUnavailableException("RabbitMQ broker " + url
                    + " did not confirm the task after " + pending.attempts + " attempts: " + reason(cause), cause));
            return;
        }
        try {
            resender.execute(() -> {
                awaitConnection();
                send(pending);
            });
        } catch (RuntimeException rejected) {
            pending.future.completeExceptionally(new BrokerUnavailableException(
                    "RabbitMQ broker " + url + " is unreachable: " + reason(cause), cause));
        }
    }

    /** Waits (bounded) until the recovering connection is open again. */
    private void awaitConnection() {
        long deadline = System.nanoTime() + recoveryWait.toNanos();
        synchronized (recovered) {
            while (!connection.isOpen() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(recovered, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void settle(long seq, boolean multiple, String nack) {
        List<Pending> done = new ArrayList<>();
        ConcurrentNavigableMap<Long, Pending> unconfirmed = tracker.unconfirmed;
        if (multiple) {
            for (Map.Entry<Long, Pending> e : unconfirmed.headMap(seq, true).entrySet()) {
                if (unconfirmed.remove(e.getKey(), e.getValue())) {
                    done.add(e.getValue());
                }
            }
        } else {
            Pending p = unconfirmed.remove(seq);
            if (p != null) {
                done.add(p);
            }
        }
        for (Pending p : done) {
            inFlight.remove(String.valueOf(p.publish.properties().getCorrelationId()), p);
            if (nack != null) {
                p.future.completeExceptionally(new BrokerUnavailableException(nack, null));
            } else if (p.returned != null) {
                p.future.completeExceptionally(new SandaiException("RabbitMQ " + url + " could not route the task to "
                                                                   + p.publish.queue() + ": " + p.returned));
            } else {
                p.future.complete(null);
            }
        }
    }

    /** Everything unconfirmed on a channel that went down is published again (it may or may not have arrived). */
    private void channelDown(ShutdownSignalException cause) {
        Tracker old = tracker;
        tracker = new Tracker();
        old.dead = true;
        List<Pending> lost = new ArrayList<>();
        for (Map.Entry<Long, Pending> e : old.unconfirmed.entrySet()) {
            if (old.unconfirmed.remove(e.getKey(), e.getValue())) {
                lost.add(e.getValue());
            }
        }
        for (Pending p : lost) {
            inFlight.remove(String.valueOf(p.publish.properties().getCorrelationId()), p);
            if (closed) {
                p.future.completeExceptionally(new SandaiException("AMQP publisher for " + url + " was closed before "
                                                                   + "the broker confirmed the task"));
            } else {
                retryLater(p, cause);
            }
        }
    }

    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof IOException)) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (recovered) {
            recovered.notifyAll();
        }
        resender.shutdown();
        try {
            connection.close(5_000);
        } catch (IOException | RuntimeException e) {
            // closing anyway; the broker drops the connection
        }
        channelDown(null);
    }

    @Override
    public String toString() {
        return "AmqpPublisher[" + url + "]";
    }
}
