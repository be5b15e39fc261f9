package io.camelsandai.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the JVM's {@link SandaiMetrics}; picks Micrometer's global registry on first use when Micrometer is present.
 * Callers get one forwarding instance, so a replacement (e.g. Spring Boot's registry, installed after some pools were
 * opened) takes effect at once, and the connection pools that are open move over to it.
 */
final class GlobalSandaiMetrics implements SandaiMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalSandaiMetrics.class);
    private static final GlobalSandaiMetrics INSTANCE = new GlobalSandaiMetrics();

    private final Map<String, PoolStats> openPools = new ConcurrentHashMap<>();
    private volatile SandaiMetrics delegate;

    private GlobalSandaiMetrics() {
    }

    static SandaiMetrics current() {
        return INSTANCE;
    }

    static void set(SandaiMetrics metrics) {
        INSTANCE.replace(metrics == null ? detect() : metrics);
    }

    private synchronized void replace(SandaiMetrics next) {
        SandaiMetrics previous = delegate;
        delegate = next;
        openPools.forEach((name, stats) -> {
            if (previous != null) {
                previous.poolClosed(name);
            }
            next.poolOpened(name, stats);
        });
    }

    private SandaiMetrics delegate() {
        SandaiMetrics d = delegate;
        if (d == null) {
            synchronized (this) {
                if (delegate == null) {
                    delegate = detect();
                }
                d = delegate;
            }
        }
        return d;
    }

    private static SandaiMetrics detect() {
        try {
            // Loaded by name: this class must load (and answer NOOP) where Micrometer is absent.
            Class.forName("io.micrometer.core.instrument.Metrics", false, GlobalSandaiMetrics.class.getClassLoader());
            return MicrometerSandaiMetrics.globalRegistry();
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.debug("Micrometer is not on the classpath: sandai metrics are not recorded");
            return SandaiMetrics.NOOP;
        }
    }

    @Override
    public void taskSent(TaskTags tags) {
        delegate().taskSent(tags);
    }

    @Override
    public void taskFinished(TaskTags tags, TaskOutcome outcome, String reason, Duration elapsed) {
        delegate().taskFinished(tags, outcome, reason, elapsed);
    }

    @Override
    public Runnable inFlight(TaskTags tags) {
        return delegate().inFlight(tags);
    }

    @Override
    public void queueWait(TaskTags tags, Duration wait) {
        delegate().queueWait(tags, wait);
    }

    @Override
    public synchronized void poolOpened(String poolName, PoolStats stats) {
        openPools.put(poolName, stats);
        delegate().poolOpened(poolName, stats);
    }

    @Override
    public synchronized void poolClosed(String poolName) {
        openPools.remove(poolName);
        delegate().poolClosed(poolName);
    }
}
