package io.camelsandai.operator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import io.camelsandai.model.BrokerUnavailableException;
import io.camelsandai.model.SandaiException;
import io.camelsandai.transport.Durability;
import io.camelsandai.transport.LuaScript;
import io.camelsandai.util.Backoff;
import io.camelsandai.util.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One writer thread and one connection that send whatever commands are waiting in one pipelined round trip:
 * result writes, acks, progress and cancel checks of all tasks share round trips, which is what makes a worker fast
 * without weakening any step (each command is still its own atomic Lua script or command, with its own outcome).
 *
 * <p>Commands are sent in submission order, so a task's PROGRESS can never land after its final state. While
 * Redis is down the batch is retried with back-off, so an answer written by a task is not lost; a command that
 * Redis refuses (a script error) fails only its own future.
 */
final class CommandBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandBatcher.class);
    static final int MAX_BATCH = 256;

    /** A command to queue on a pipeline; {@code script} is reloaded and the command retried on NOSCRIPT. */
    private record Pending(Function<Pipeline, Response<?>> command, LuaScript script, boolean durable,
            CompletableFuture<Object> future, Grouped grouped) {
    }

    /** The keys and arguments of one call of a {@link #GROUPED} script, to be sent together with its neighbours. */
    private record Grouped(List<byte[]> keys, List<byte[]> args) {
    }

    /**
     * Scripts that take several calls' KEYS and ARGV one after the other and return one reply per call (a number,
     * or the error text of that call): neighbouring calls in a batch are sent as one script call, since each script
     * call costs Redis more CPU than the few commands in it. Only neighbours are joined, so the order stays.
     */
    private static final List<LuaScript> GROUPED = List.of(RuntimeScripts.COMPLETE);
    static final int MAX_GROUP = 128;

    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Supplier<Jedis> connect;
    private final RedisHealth health;
    private final Wakeup backoffSleep = new Wakeup();
    private final Thread thread;
    private final Durability durability;
    private volatile boolean closing;
    private Jedis jedis;

    CommandBatcher(String threadName, Supplier<Jedis> connect, RedisHealth health) {
        this(threadName, connect, health, Durability.OFF);
    }

    /** With {@code durability} enabled, {@link #evalDurable} writes are confirmed by one WAIT per pipeline. */
    CommandBatcher(String threadName, Supplier<Jedis> connect, RedisHealth health, Durability durability) {
        this.durability = durability;
        this.connect = connect;
        this.health = health;
        this.thread = DaemonThreads.start(threadName, this::run);
    }

    CompletableFuture<Object> submit(Function<Pipeline, Response<?>> command) {
        return submit(null, command);
    }

    CompletableFuture<Object> submit(LuaScript script, Function<Pipeline, Response<?>> command) {
        return submit(script, false, command);
    }

    private CompletableFuture<Object> submit(LuaScript script, boolean durable,
                                             Function<Pipeline, Response<?>> command) {
        return enqueue(new Pending(command, script, durable, new CompletableFuture<>(), null));
    }

    private CompletableFuture<Object> enqueue(Pending pending) {
        queue.add(pending);
        return pending.future();
    }

    private CompletableFuture<Object> evalGroupable(LuaScript script, boolean durable, List<byte[]> keys,
                                                    List<byte[]> args) {
        if (!GROUPED.contains(script)) {
            return submit(script, durable, p -> p.evalsha(script.sha1(), keys, args));
        }
        return enqueue(new Pending(null, script, durable, new CompletableFuture<>(), new Grouped(keys, args)));
    }

    /**
     * As {@link #eval}, but when durability is on the future completes only after enough replicas confirmed the
     * write, else with {@link io.camelsandai.model.ReplicasNotConfirmedException}.
     */
    CompletableFuture<Object> evalDurable(LuaScript script, List<byte[]> keys, List<byte[]> args) {
        return evalGroupable(script, durability.enabled(), keys, args);
    }

    boolean durable() {
        return durability.enabled();
    }

    /** EVALSHA of a runtime script. */
    CompletableFuture<Object> eval(LuaScript script, List<byte[]> keys, List<byte[]> args) {
        return evalGroupable(script, false, keys, args);
    }

    int backlog() {
        return queue.size();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        Backoff.Attempts backoff = Backoff.REDIS_RECONNECT.attempts();
        while (true) {
            try {
                if (batch.isEmpty()) {
                    Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (closing && queue.isEmpty()) {
                            break;
                        }
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
                batch = write(batch);
                backoff.reset();
            } catch (InterruptedException e) {
                break;
            } catch (JedisConnectionException e) {
                health.failed(e);
                disconnect();
                if (closing) {
                    // Closing while Redis is down: the tasks stay recorded as in flight and are restored later.
                    batch.forEach(p -> p.future().completeExceptionally(new BrokerUnavailableException("Redis unreachable", e)));
                    batch.clear();
                    queue.forEach(p -> p.future().completeExceptionally(new BrokerUnavailableException("Redis unreachable", e)));
                    queue.clear();
                    break;
                }
                backoffSleep.clear();
                backoffSleep.await(backoff.nextDelayMillis());
            } catch (RuntimeException e) {
                LOG.error("Redis writer failed a batch of {} commands", batch.size(), e);
                batch.forEach(p -> p.future().completeExceptionally(e));
                batch.clear();
            }
        }
        disconnect();
    }

    /** Sends the batch; returns what must be sent again (commands whose script had to be loaded first). */
    private List<Pending> write(List<Pending> batch) {
        if (jedis == null) {
            jedis = connect.get();
        }
        Pipeline p = jedis.pipelined();
        List<List<Pending>> sends = sends(batch);
        List<Response<?>> responses = new ArrayList<>(sends.size());
        boolean anyDurable = false;
        for (List<Pending> send : sends) {
            Pending first = send.get(0);
            if (first.grouped() == null) {
                responses.add(first.command().apply(p));
            } else {
                responses.add(p.evalsha(first.script().sha1(), joined(send, Grouped::keys), joined(send, Grouped::args)));
            }
            for (Pending pending : send) {
                anyDurable |= pending.durable();
            }
        }
        // one WAIT covers the whole pipeline: replication keeps order, so it confirms every write before it
        Response<Long> waited = anyDurable ? p.waitReplicas(durability.replicas(), durability.timeoutMillis()) : null;
        p.sync();
        health.succeeded();
        long acked = waited == null ? Long.MAX_VALUE : waited.get();
        List<Pending> again = new ArrayList<>();
        for (int i = 0; i < sends.size(); i++) {
            List<Pending> send = sends.get(i);
            Pending first = send.get(0);
            try {
                Object reply = responses.get(i).get();
                for (int j = 0; j < send.size(); j++) {
                    Object own = first.grouped() == null ? reply : ((List<?>) reply).get(j);
                    finish(send.get(j), own, acked);
                }
            } catch (JedisNoScriptException e) {
                if (first.script() == null) {
                    send.forEach(pending -> pending.future().completeExceptionally(e));
                } else {
                    first.script().loadInto(jedis);
                    again.addAll(send);
                }
            } catch (RuntimeException e) {
                send.forEach(pending -> pending.future().completeExceptionally(e));
            }
        }
        return again;
    }

    /** The batch as sent: each command alone, except neighbouring calls of the same grouped script, joined. */
    private static List<List<Pending>> sends(List<Pending> batch) {
        List<List<Pending>> sends = new ArrayList<>(batch.size());
        List<Pending> open = null;
        for (Pending pending : batch) {
            boolean joins = open != null && pending.grouped() != null && pending.script() == open.get(0).script()
                            && open.size() < MAX_GROUP;
            if (joins) {
                open.add(pending);
                continue;
            }
            open = new ArrayList<>(pending.grouped() == null ? 1 : 8);
            open.add(pending);
            sends.add(open);
            if (pending.grouped() == null) {
                open = null;
            }
        }
        return sends;
    }

    private static List<byte[]> joined(List<Pending> send, Function<Grouped, List<byte[]>> part) {
        List<byte[]> all = new ArrayList<>(send.size() * 3);
        for (Pending pending : send) {
            all.addAll(part.apply(pending.grouped()));
        }
        return all;
    }

    /** One command's own outcome; a grouped script answers a refused step with its error text. */
    private void finish(Pending pending, Object reply, long acked) {
        if (pending.grouped() != null && reply instanceof byte[] error) {
            pending.future().completeExceptionally(new JedisDataException(new String(error, StandardCharsets.UTF_8)));
            return;
        }
        try {
            if (pending.durable()) {
                durability.check("result write", acked);
            }
            pending.future().complete(reply);
        } catch (RuntimeException e) {
            pending.future().completeExceptionally(e);
        }
    }

    private void disconnect() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // the connection is broken anyway
            }
            jedis = null;
        }
    }

    /** Sends what is queued, then stops; waits at most {@code millis}. */
    @Override
    public void close() {
        closing = true;
        backoffSleep.wake();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops at once without sending anything (a simulated crash). */
    void halt() {
        thread.interrupt();
        queue.clear();
    }
}
