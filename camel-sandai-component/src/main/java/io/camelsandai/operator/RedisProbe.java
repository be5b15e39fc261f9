package io.camelsandai.operator;

import java.util.function.Supplier;

import io.camelsandai.transport.InfrastructureFailures;
import redis.clients.jedis.Jedis;

/**
 * Readiness answered by asking Redis (PING on a connection of its own with a short read timeout), at most every
 * {@link #MAX_AGE_MILLIS}: the taking loop backs off up to 5 s during an outage, so its last attempt alone would
 * report a returned Redis late, and a paused Redis (SIGSTOP) only after its 30 s read timeout.
 */
final class RedisProbe {
    static final long MAX_AGE_MILLIS = 500;
    static final int READ_TIMEOUT_MILLIS = 2_000;

    private final Supplier<Jedis> connect;
    private final RedisHealth health;
    private Jedis jedis;
    private long checkedAt;
    private boolean reachable = true;

    RedisProbe(Supplier<Jedis> connect, RedisHealth health) {
        this.connect = connect;
        this.health = health;
    }

    synchronized boolean reachable() {
        long now = System.nanoTime() / 1_000_000;
        if (checkedAt != 0 && now - checkedAt < MAX_AGE_MILLIS) {
            return reachable;
        }
        try {
            if (jedis == null) {
                jedis = connect.get();
            }
            reachable = "PONG".equals(jedis.ping());
            health.succeeded();
        } catch (RuntimeException e) {
            reachable = false;
            close();
            if (InfrastructureFailures.isInfrastructure(e)) {
                health.failed(e);
            }
        }
        checkedAt = System.nanoTime() / 1_000_000;
        return reachable;
    }

    synchronized void close() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // broken anyway
            }
            jedis = null;
        }
    }
}
