package io.camelsandai.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import io.camelsandai.codec.KombuKeys;
import io.camelsandai.metrics.SandaiMetrics;
import io.camelsandai.model.BrokerUnavailableException;
import io.camelsandai.model.SandaiException;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The broker side of one shared transport: puts task envelopes on queues and answers small queries (queue lengths,
 * cancel keys, ping). Sends go through a {@link PushBatcher} so that many concurrent sends share one pipelined round
 * trip, while each send still learns its own outcome.
 */
public final class Broker implements AutoCloseable {
    private final Transports.BrokerKey key;
    private final RedisConnector connector;
    private final JedisPool pool;
    private final JedisPoolStats poolStats;
    private final String poolName;
    private final Duration acquireTimeout;
    private final PushBatcher batcher;

    Broker(Transports.BrokerKey key, Transports.ResourceOptions options) {
        this.key = key;
        this.connector = new RedisConnector(key.url(), key.tls(), options.connectTimeout());
        this.acquireTimeout = options.acquireTimeout();
        this.poolName = Transports.clientName("sandai-broker", key.scopeIdentity());
        this.pool = connector.pool(poolName, key.poolLimit(), acquireTimeout);
        this.poolStats = new JedisPoolStats(pool, key.poolLimit());
        SandaiMetrics.global().poolOpened(poolName, poolStats);
        this.batcher = new PushBatcher(this::pushBatch, "sandai-broker-writer-" + key.scopeIdentity());
    }

    Transports.BrokerKey key() {
        return key;
    }

    public RedisUrl url() {
        return key.url();
    }

    /** One envelope for one list; {@code queue} names the binding (the list may be a priority sub-list of it). */
    public record Push(String queue, String listKey, String envelope) {
    }

    /** Queues the push; completes when Redis has the message, or exceptionally with the reason it does not. */
    public CompletableFuture<Void> pushAsync(Push push) {
        return batcher.submit(push, Durability.OFF);
    }

    /**
     * As {@link #pushAsync(Push)}; with {@code durability} enabled it completes only once that many replicas confirmed
     * the write ({@code WAIT}), else with {@link io.camelsandai.model.ReplicasNotConfirmedException}.
     */
    public CompletableFuture<Void> pushAsync(Push push, Durability durability) {
        return batcher.submit(push, durability == null ? Durability.OFF : durability);
    }

    /** Sends and waits for Redis to confirm. */
    public void push(Push push) {
        try {
            pushAsync(push).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /**
     * Writes one batch in a single pipeline: the binding SADD for every queue (idempotent, as kombu does before each
     * send) and one multi-value LPUSH per list. {@code LPUSH k a b} leaves the list exactly as {@code LPUSH k a;
     * LPUSH k b} would, so order is kept, at a fraction of the per-command cost; every message of a list shares that
     * list's reply as its own outcome. When some push of the batch asks for durability, one {@code WAIT} at the end of
     * the pipeline covers the whole batch (replication is in order, so it confirms every write before it).
     */
    private void pushBatch(List<PushBatcher.Pending> batch) {
        try {
            pushBatchOnce(batch);
        } catch (StaleConnection stale) {
            // The pooled connection had died while idle (a Redis restart, a cut): the first write on it fails at once.
            // Sent once more on a fresh connection, as redis-py does; should Redis have got the first one after all,
            // the task is delivered twice (at-least-once), never lost.
            try {
                pushBatchOnce(batch);
            } catch (StaleConnection again) {
                failAll(batch, brokerError("is unreachable", again.cause));
            }
        }
    }

    /** A connection failure on a borrowed connection, before any reply was read. */
    private static final class StaleConnection extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final RuntimeException cause;

        StaleConnection(RuntimeException cause) {
            super(cause.getMessage(), null, false, false);
            this.cause = cause;
        }
    }

    private static void failAll(List<PushBatcher.Pending> batch, SandaiException failure) {
        batch.forEach(pending -> pending.future().completeExceptionally(failure));
    }

    private void pushBatchOnce(List<PushBatcher.Pending> batch) {
        try (Jedis jedis = RedisConnector.borrow(pool, "broker", acquireTimeout)) {
            Pipeline p = jedis.pipelined();
            Map<String, List<PushBatcher.Pending>> byList = new LinkedHashMap<>();
            Set<String> queues = new LinkedHashSet<>();
            for (PushBatcher.Pending pending : batch) {
                queues.add(pending.push().queue());
                byList.computeIfAbsent(pending.push().listKey(), k -> new ArrayList<>()).add(pending);
            }
            for (String queue : queues) {
                p.sadd(KombuKeys.bindingKey(queue), KombuKeys.bindingMember(queue));
            }
            List<List<PushBatcher.Pending>> groups = new ArrayList<>(byList.values());
            List<Response<Long>> replies = new ArrayList<>(groups.size());
            for (List<PushBatcher.Pending> group : groups) {
                String[] envelopes = new String[group.size()];
                for (int i = 0; i < envelopes.length; i++) {
                    envelopes[i] = group.get(i).push().envelope();
                }
                replies.add(p.lpush(group.get(0).push().listKey(), envelopes));
            }
            Durability durable = strictest(batch);
            Response<Long> waited = durable.enabled() ? p.waitReplicas(durable.replicas(), durable.timeoutMillis())
                    : null;
            try {
                p.sync();
            } catch (JedisConnectionException e) {
                dropIdleConnections();
                throw new StaleConnection(e);
            }
            long acked = waited == null ? Long.MAX_VALUE : waited.get();
            for (int g = 0; g < groups.size(); g++) {
                try {
                    replies.get(g).get();
                    groups.get(g).forEach(pending -> complete(pending, acked));
                } catch (JedisException e) {
                    SandaiException refused = brokerError("refused the task", e);
                    groups.get(g).forEach(pending -> pending.future().completeExceptionally(refused));
                }
            }
        } catch (StaleConnection e) {
            throw e;
        } catch (RuntimeException e) {
            failAll(batch, e instanceof SandaiException se ? se : brokerError("is unreachable", e));
        }
    }

    /** The most demanding durability asked for in the batch (the longest timeout among those). */
    private static Durability strictest(List<PushBatcher.Pending> batch) {
        Durability d = Durability.OFF;
        for (PushBatcher.Pending pending : batch) {
            Durability p = pending.durability();
            if (p.replicas() > d.replicas() || (p.enabled() && p.replicas() == d.replicas()
                                                && p.timeout().compareTo(d.timeout()) > 0)) {
                d = p;
            }
        }
        return d;
    }

    private static void complete(PushBatcher.Pending pending, long acked) {
        try {
            if (pending.durability().enabled()) { // the description only when it can be needed: not per send
                pending.durability().check("task sent to " + pending.push().queue(), acked);
            }
            pending.future().complete(null);
        } catch (RuntimeException e) {
            pending.future().completeExceptionally(e);
        }
    }

    /**
     * Infrastructure failures become {@link BrokerUnavailableException}, never a task outcome; after one, the idle
     * pooled connections are dropped, since after a Redis restart they are all dead and each would fail one more send.
     */
    private SandaiException brokerError(String what, Exception e) {
        String message = "Redis broker " + key.url() + " " + what + ": " + e.getMessage();
        if (InfrastructureFailures.isInfrastructure(e)) {
            dropIdleConnections();
            return new BrokerUnavailableException(message, e);
        }
        return new SandaiException(message);
    }

    private void dropIdleConnections() {
        try {
            pool.clear();
        } catch (RuntimeException ignored) {
            // best effort: a broken idle connection is also discarded on its next use
        }
    }

    /** Runs a short command on a pooled connection. */
    public <T> T call(Function<Jedis, T> command) {
        try (Jedis jedis = RedisConnector.borrow(pool, "broker", acquireTimeout)) {
            return command.apply(jedis);
        } catch (RuntimeException e) {
            if (InfrastructureFailures.isInfrastructure(e)) {
                dropIdleConnections();
            }
            throw e;
        }
    }

    /**
     * True when the broker answers PING. A connection that died while idle in the pool (a Redis restart) is not taken
     * for an outage: the PING is tried once more on a fresh connection.
     */
    public boolean ping() {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                return "PONG".equals(call(Jedis::ping));
            } catch (RuntimeException e) {
                if (!InfrastructureFailures.isInfrastructure(e)) {
                    return false;
                }
            }
        }
        return false;
    }

    /** Use of the connection pool, live. */
    public io.camelsandai.metrics.PoolStats poolStats() {
        return poolStats;
    }

    /** Lengths of lists, in one round trip. */
    public List<Long> lengths(List<String> listKeys) {
        return call(jedis -> {
            Pipeline p = jedis.pipelined();
            List<Response<Long>> replies = new ArrayList<>();
            listKeys.forEach(k -> replies.add(p.llen(k)));
            p.sync();
            List<Long> out = new ArrayList<>();
            replies.forEach(r -> out.add(r.get()));
            return out;
        });
    }

    /** A connection outside the pool for blocking reads (consumers); the caller closes it. */
    public Jedis openDedicated(String purpose, int socketTimeoutMillis) {
        return connector.open(Transports.clientName("sandai-" + purpose, key.scopeIdentity()), socketTimeoutMillis);
    }

    @Override
    public void close() {
        batcher.close();
        pool.close();
        SandaiMetrics.global().poolClosed(poolName);
    }

    @Override
    public String toString() {
        return "Broker[" + key.url() + ", scope=" + key.scopeIdentity() + "]";
    }
}
