package io.camelsandai.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.metrics.SandaiMetrics;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Transaction;

/**
 * The result-backend side of one shared transport: reads, writes and forgets {@code celery-task-meta-<id>} keys,
 * and waits for results through one shared {@link ResultWaiter}.
 *
 * <p>Connection budget: at most {@code min(poolLimit, pollConcurrency)} connections in all, one of which is the
 * waiter's SUBSCRIBE connection once anybody waits; the rest form the pool for GET/MGET/DEL/SETEX.
 */
public final class ResultBackend implements ResultSource {
    public static final String META_PREFIX = "celery-task-meta-";

    private final Transports.BackendKey key;
    private final RedisConnector connector;
    private final JedisPool pool;
    private final Duration acquireTimeout;
    private final int resultExpiresSeconds;
    private final String clientName;
    private final ResultWaiter waiter;

    ResultBackend(Transports.BackendKey key, Transports.ResourceOptions options) {
        this.key = key;
        this.connector = new RedisConnector(key.url(), key.tls(), options.connectTimeout());
        this.acquireTimeout = options.acquireTimeout();
        this.resultExpiresSeconds = options.resultExpiresSeconds();
        this.clientName = Transports.clientName("sandai-backend", key.scopeIdentity());
        int budget = Math.max(1, Math.min(key.poolLimit(), key.pollConcurrency()));
        this.pool = connector.pool(clientName, Math.max(1, budget - 1), acquireTimeout);
        SandaiMetrics.global().poolOpened(clientName, new JedisPoolStats(pool, Math.max(1, budget - 1)));
        this.waiter = new ResultWaiter(this, () -> connector.open(clientName, 0), key.scopeIdentity());
    }

    Transports.BackendKey key() {
        return key;
    }

    public RedisUrl url() {
        return key.url();
    }

    public static String metaKey(String taskId) {
        return META_PREFIX + taskId;
    }

    /** Runs a short command on a pooled connection (bounded by the pool limit and acquire timeout). */
    public <T> T call(Function<Jedis, T> command) {
        try (Jedis jedis = RedisConnector.borrow(pool, "result backend", acquireTimeout)) {
            return command.apply(jedis);
        }
    }

    /** The stored meta, or null when there is none (Celery's PENDING). */
    @Override
    public ResultMeta get(String taskId) {
        byte[] raw = call(j -> j.get(metaKey(taskId).getBytes(StandardCharsets.UTF_8)));
        return raw == null ? null : ResultMeta.decode(raw);
    }

    /** Raw stored values for many ids in one MGET; absent ids map to null. */
    Map<String, byte[]> getRaw(List<String> taskIds) {
        byte[][] keys = new byte[taskIds.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = metaKey(taskIds.get(i)).getBytes(StandardCharsets.UTF_8);
        }
        List<byte[]> values = call(j -> j.mget(keys));
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < taskIds.size(); i++) {
            out.put(taskIds.get(i), values.get(i));
        }
        return out;
    }

    /** Deletes the stored result ({@code AsyncResult.forget()}). */
    @Override
    public void forget(String taskId) {
        call(j -> j.del(metaKey(taskId)));
    }

    /**
     * Writes a meta the way the Celery worker does: {@code MULTI; SETEX; PUBLISH; EXEC}, same bytes to both. The
     * caller is responsible for not overwriting a final state (see the operator runtime).
     */
    public void store(ResultMeta meta, ContentType serializer) {
        byte[] key = metaKey(meta.taskId()).getBytes(StandardCharsets.UTF_8);
        byte[] value = meta.encode(serializer);
        call(j -> {
            Transaction tx = j.multi();
            tx.setex(key, resultExpiresSeconds, value);
            tx.publish(key, value);
            return tx.exec();
        });
    }

    public int resultExpiresSeconds() {
        return resultExpiresSeconds;
    }

    /**
     * Completes with the first final meta of {@code taskId}; {@code onProgress} sees non-final metas (PROGRESS,
     * STARTED) as they are published. Costs no connection of its own.
     */
    @Override
    public CompletableFuture<ResultMeta> awaitFinal(String taskId, Consumer<ResultMeta> onProgress, boolean lookNow) {
        return waiter.await(taskId, onProgress, lookNow);
    }

    /** Stops waiting for a task without completing anyone's future (e.g. when the send failed). */
    @Override
    public void stopWaiting(String taskId) {
        waiter.cancel(taskId);
    }

    public boolean ping() {
        try {
            return "PONG".equals(call(Jedis::ping));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** How many tasks are being waited for; for tests and health details. */
    @Override
    public int waitingCount() {
        return waiter.pendingCount();
    }

    @Override
    public void close() {
        waiter.close();
        pool.close();
        SandaiMetrics.global().poolClosed(clientName);
    }

    @Override
    public String toString() {
        return "ResultBackend[" + key.url() + ", scope=" + key.scopeIdentity() + "]";
    }

    static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return out;
    }
}
