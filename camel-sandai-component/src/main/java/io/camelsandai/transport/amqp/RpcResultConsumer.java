package io.camelsandai.transport.amqp;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.InvalidResultFormatException;
import io.camelsandai.model.SandaiException;
import io.camelsandai.transport.ResultSource;
import io.camelsandai.util.DaemonThreads;

/**
 * The caller's side of Celery's {@code rpc://} result backend: one reply queue per client, declared as Celery declares
 * it ({@link CeleryAmqpTopology#declareReplyQueue}), named by the {@code reply_to} the client puts on every task it
 * sends; the worker publishes each state (PROGRESS, STARTED, then the final one) to it with {@code correlation_id} =
 * task id, and this consumer routes each message to the call waiting for that id.
 *
 * <p>Nothing is stored anywhere, so, as with Celery:
 * <ul>
 * <li>a final result that arrives before anybody waits for it (a {@code submit} whose {@code get} comes later) is kept
 * in memory, bounded ({@value #UNCLAIMED_MAX} results, oldest dropped first), as Celery's {@code ResultConsumer} keeps
 * its pending messages;</li>
 * <li>a result for a call that stopped waiting (timed out, send failed) is dropped, as is a progress message nobody
 * listens to;</li>
 * <li>only this client sees its results: another client (or JVM) cannot {@code get} them by id.</li>
 * </ul>
 *
 * <p>Connection loss: the connection recovers with its topology, so the reply queue (auto-delete, hence gone with the
 * connection) is declared again and consumed again, and calls keep waiting; a result the worker published while the
 * queue did not exist is dropped by RabbitMQ (Celery publishes results without {@code mandatory}), and its call ends
 * with its timeout.
 *
 * <p>Messages are consumed with automatic acknowledgement, as Celery's result consumer does ({@code no_ack=True}):
 * results are transient ({@code delivery_mode=1}) anyway. Bodies are read by their {@code content_type}: json or
 * msgpack; any other (pickle included) is never deserialized and fails the waiting call.
 */
public final class RpcResultConsumer implements ResultSource {
    /** Final results kept for calls that have not started waiting yet. */
    public static final int UNCLAIMED_MAX = 8192; // Celery's MESSAGE_BUFFER_MAX
    /** Ids of abandoned calls remembered, so their late results are dropped instead of kept as unclaimed. */
    static final int ABANDONED_MAX = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(RpcResultConsumer.class);

    private final String queue;
    private final Connection connection;
    private final Channel channel;
    private final ExecutorService completions;
    private final ConcurrentHashMap<String, Entry> waiting = new ConcurrentHashMap<>();
    /** Guarded by {@link #lock}, as is the decision "deliver to a waiter or keep": no result falls in between. */
    private final Map<String, ResultMeta> unclaimed = bounded(UNCLAIMED_MAX);
    private final Map<String, Boolean> abandoned = bounded(ABANDONED_MAX);
    private final Object lock = new Object();
    private final AtomicInteger recoveries = new AtomicInteger();
    private volatile boolean closed;

    private static final class Entry {
        final String taskId;
        final CompletableFuture<ResultMeta> result = new CompletableFuture<>();
        final List<Consumer<ResultMeta>> progressListeners = new CopyOnWriteArrayList<>();
        int waiters; // guarded by the entry

        Entry(String taskId) {
            this.taskId = taskId;
        }
    }

    /**
     * Opens one recovering connection, declares the reply queue {@code queue} and starts consuming it.
     *
     * @throws IOException with the sanitized URL when RabbitMQ cannot be reached or refuses the declaration
     */
    public RpcResultConsumer(AmqpUrl url, AmqpConnectionSettings settings, String connectionName, String queue,
                             int resultExpiresSeconds) throws IOException {
        this.queue = queue;
        this.connection = AmqpConnections.open(url, settings, connectionName);
        ((Recoverable) connection).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable recoverable) {
                recoveries.incrementAndGet();
                LOG.info("rpc reply queue {} consumed again after a connection loss; {} calls still waiting (results "
                         + "published while the queue was gone are lost)", queue, waiting.size());
            }

            @Override
            public void handleRecoveryStarted(Recoverable recoverable) {
                LOG.warn("RabbitMQ connection of rpc reply queue {} lost; recovering", queue);
            }
        });
        try {
            this.channel = connection.createChannel();
            CeleryAmqpTopology.declareReplyQueue(channel, queue, resultExpiresSeconds);
            channel.basicConsume(queue, true, this::onDelivery, tag -> LOG.debug("rpc reply queue {} cancelled", queue));
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
        this.completions = Executors.newCachedThreadPool(DaemonThreads.factory(connectionName + "-complete-"));
    }

    /** The reply queue's name: the {@code reply_to} of every task this client sends. */
    public String queue() {
        return queue;
    }

    /** True while the connection is open (false during recovery and after close). */
    public boolean isConnected() {
        return !closed && connection.isOpen();
    }

    /** How often the connection was lost and recovered (queue re-declared, consumer re-registered). */
    public int recoveryCount() {
        return recoveries.get();
    }

    @Override
    public CompletableFuture<ResultMeta> awaitFinal(String taskId, Consumer<ResultMeta> onProgress, boolean lookNow) {
        if (closed) {
            return CompletableFuture.failedFuture(new SandaiException("rpc result consumer closed"));
        }
        Entry entry;
        ResultMeta early;
        synchronized (lock) {
            entry = waiting.computeIfAbsent(taskId, Entry::new);
            synchronized (entry) {
                entry.waiters++;
            }
            if (onProgress != null) {
                entry.progressListeners.add(onProgress);
            }
            abandoned.remove(taskId);
            early = unclaimed.remove(taskId);
        }
        if (early != null) {
            finish(entry, early, null);
        }
        // completed off the AMQP dispatch thread, so callers' continuations never hold up other deliveries
        CompletableFuture<ResultMeta> mine = entry.result.thenApplyAsync(meta -> meta, completions);
        mine.whenComplete((meta, error) -> release(entry, meta == null));
        return mine;
    }

    @Override
    public void stopWaiting(String taskId) {
        Entry entry;
        synchronized (lock) {
            entry = waiting.remove(taskId);
            abandoned.put(taskId, Boolean.TRUE);
        }
        if (entry != null) {
            entry.result.cancel(false);
        }
    }

    @Override
    public int waitingCount() {
        return waiting.size();
    }

    /** A final result that reached this client before anybody waited for it; null otherwise (PENDING). */
    @Override
    public ResultMeta get(String taskId) {
        synchronized (lock) {
            return unclaimed.get(taskId);
        }
    }

    /** Drops the kept result, if any: rpc:// stores nothing else. */
    @Override
    public void forget(String taskId) {
        synchronized (lock) {
            unclaimed.remove(taskId);
        }
    }

    private void release(Entry entry, boolean withoutResult) {
        boolean last;
        synchronized (entry) {
            last = --entry.waiters <= 0;
        }
        if (last) {
            synchronized (lock) {
                if (waiting.remove(entry.taskId, entry) && withoutResult) {
                    abandoned.put(entry.taskId, Boolean.TRUE); // a late result of a timed-out call is dropped
                }
            }
        }
    }

    private void onDelivery(String consumerTag, Delivery delivery) {
        AMQP.BasicProperties props = delivery.getProperties();
        String taskId = props.getCorrelationId();
        if (taskId == null || taskId.isEmpty()) {
            LOG.warn("rpc reply queue {}: message without correlation_id dropped", queue);
            return;
        }
        ResultMeta meta;
        try {
            meta = ResultMeta.decode(delivery.getBody(), ContentType.fromMimeType(props.getContentType()));
            if (meta.taskId() != null && !meta.taskId().equals(taskId)) {
                throw new SandaiException("body task_id " + meta.taskId() + " differs from correlation_id");
            }
        } catch (RuntimeException e) {
            Entry entry = waiting.get(taskId);
            LOG.warn("rpc reply queue {}: unreadable result for task {} ({}){}", queue, taskId, e.getMessage(),
                    entry == null ? ", nobody waits for it: dropped" : "");
            if (entry != null) {
                finish(entry, null, new InvalidResultFormatException(taskId, e.getMessage()));
            }
            return;
        }
        Entry entry;
        synchronized (lock) {
            entry = waiting.get(taskId);
            if (entry == null) {
                if (meta.isFinal() && abandoned.remove(taskId) == null) {
                    unclaimed.put(taskId, meta);
                }
                return; // progress nobody listens to, or the late result of an abandoned call
            }
        }
        if (meta.isFinal()) {
            finish(entry, meta, null);
        } else {
            for (Consumer<ResultMeta> listener : entry.progressListeners) {
                try {
                    listener.accept(meta);
                } catch (RuntimeException e) {
                    LOG.debug("progress listener of task {} failed: {}", taskId, e.toString());
                }
            }
        }
    }

    private void finish(Entry entry, ResultMeta meta, Throwable error) {
        waiting.remove(entry.taskId, entry);
        if (error == null) {
            entry.result.complete(meta);
        } else {
            entry.result.completeExceptionally(error);
        }
    }

    private static <V> Map<String, V> bounded(int max) {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    /** Closes the connection (RabbitMQ then deletes the auto-delete reply queue) and fails the calls still waiting. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly();
        SandaiException closedError = new SandaiException("rpc result consumer closed while waiting");
        waiting.values().forEach(e -> e.result.completeExceptionally(closedError));
        waiting.clear();
        completions.shutdown();
    }

    private void closeQuietly() {
        try {
            connection.close(5_000);
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing rpc result connection: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "RpcResultConsumer[" + queue + "]";
    }
}
