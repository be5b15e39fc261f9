package io.camelsandai.transport;

import io.camelsandai.metrics.PoolStats;
import redis.clients.jedis.JedisPool;

/** A pool's live numbers for the {@code sandai.pool.*} gauges. */
record JedisPoolStats(JedisPool pool, int max) implements PoolStats {
    @Override
    public int active() {
        return pool.getNumActive();
    }

    @Override
    public int idle() {
        return pool.getNumIdle();
    }

    @Override
    public int waiting() {
        return pool.getNumWaiters();
    }
}
