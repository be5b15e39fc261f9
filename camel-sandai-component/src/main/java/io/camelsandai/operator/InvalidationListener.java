package io.camelsandai.operator;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.camelsandai.util.Backoff;
import io.camelsandai.util.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The second half of idle waiting without polling: a connection SUBSCRIBEd to {@code __redis__:invalidate}, the
 * target of the taking connection's {@code CLIENT TRACKING on REDIRECT <id> OPTIN NOLOOP} (RESP2 redirect mode).
 * Redis sends an invalidation when a list that the taker's last armed take found empty changes (a task was
 * pushed), which wakes the taker; see {@link TaskTaker} for when a take is armed.
 *
 * <p>When this connection is replaced, its client id changes: {@link #generation()} moves on so that the taker
 * redoes its tracking against the new id.
 */
final class InvalidationListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InvalidationListener.class);
    static final String CHANNEL = "__redis__:invalidate";

    private final Supplier<Jedis> connect;
    private final Wakeup wakeup;
    private final RedisHealth health;
    private final Thread thread;
    private final Wakeup backoffSleep = new Wakeup();
    private volatile boolean running = true;
    private volatile Jedis current;
    /** Client id of the subscribed connection, or -1 while there is none. */
    private volatile long redirectId = -1;
    private volatile int generation;
    private final AtomicLong messages = new AtomicLong();

    InvalidationListener(String threadName, Supplier<Jedis> connect, Wakeup wakeup, RedisHealth health) {
        this.connect = connect;
        this.wakeup = wakeup;
        this.health = health;
        this.thread = DaemonThreads.start(threadName, this::run);
    }

    long redirectId() {
        return redirectId;
    }

    int generation() {
        return generation;
    }

    /** Messages received on the invalidation channel so far (each is a write Redis paid for). */
    long messages() {
        return messages.get();
    }

    private void run() {
        Backoff.Attempts backoff = Backoff.REDIS_RECONNECT.attempts();
        while (running) {
            try (Jedis jedis = connect.get()) {
                current = jedis;
                long id = jedis.clientId();
                Connection c = jedis.getConnection();
                c.setTimeoutInfinite();
                c.sendCommand(Protocol.Command.SUBSCRIBE, CHANNEL);
                c.getOne(); // the subscribe confirmation
                redirectId = id;
                generation++;
                health.succeeded();
                backoff.reset();
                wakeup.wake(); // the taker redoes tracking against this id
                while (running) {
                    c.getOne(); // any invalidation of a queue key: something was pushed
                    messages.incrementAndGet();
                    wakeup.wake();
                }
            } catch (RuntimeException e) {
                redirectId = -1;
                generation++;
                if (!running) {
                    break;
                }
                health.failed(e);
                LOG.debug("invalidation listener lost its connection", e);
                backoffSleep.clear();
                backoffSleep.await(backoff.nextDelayMillis());
            } finally {
                current = null;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        backoffSleep.wake();
        Jedis j = current;
        if (j != null) {
            try {
                j.disconnect(); // breaks the blocking read
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
