package io.camelsandai.metrics;

/** A live view of one connection pool, read when the gauges are scraped. */
public interface PoolStats {
    int active();

    int idle();

    /** Threads waiting for a free connection. */
    int waiting();

    int max();
}
