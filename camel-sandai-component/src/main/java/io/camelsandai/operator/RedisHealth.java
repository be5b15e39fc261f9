package io.camelsandai.operator;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis answered the last attempt, shared by every part of one runtime. An outage is logged once at WARN
 * when it starts and once at INFO when it ends, however many attempts fail in between.
 */
final class RedisHealth {
    private static final Logger LOG = LoggerFactory.getLogger(RedisHealth.class);

    private final String what;
    private final AtomicBoolean reachable = new AtomicBoolean(true);

    RedisHealth(String what) {
        this.what = what;
    }

    boolean reachable() {
        return reachable.get();
    }

    void failed(Exception e) {
        if (reachable.compareAndSet(true, false)) {
            // the exception text of Jedis names host and port, never the password
            LOG.warn("{}: Redis is unreachable ({}); backing off and retrying until it returns", what, e.toString());
        }
    }

    void succeeded() {
        if (reachable.compareAndSet(false, true)) {
            LOG.info("{}: Redis is reachable again", what);
        }
    }
}
