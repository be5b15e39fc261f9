package io.camelsandai.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Records sandai metrics in a Micrometer registry. Meter names (dots, as Micrometer renders per backend):
 * <ul>
 * <li>{@code sandai.tasks.sent}: counter, tags role, operator, version, priority</li>
 * <li>{@code sandai.tasks.succeeded}, {@code sandai.tasks.failed} (+ tag reason), {@code sandai.tasks.cancelled}</li>
 * <li>{@code sandai.tasks.in.flight}: gauge of calls awaiting a result (client) or tasks running (operator)</li>
 * <li>{@code sandai.tasks.duration}: timer, send to final result (client) or run time (operator), tag outcome</li>
 * <li>{@code sandai.tasks.queue.wait}: timer, taken from Redis to running (operator); Celery messages carry no send
 * time, so the time spent in the Redis list itself is not measurable</li>
 * <li>{@code sandai.pool.active|idle|waiting|max}: gauges per connection pool, tag pool</li>
 * </ul>
 * This class is the only one that references Micrometer; it is loaded only when Micrometer is present.
 */
public final class MicrometerSandaiMetrics implements SandaiMetrics {
    private final MeterRegistry registry;
    private final Map<TaskTags, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Meter[]> poolGauges = new ConcurrentHashMap<>();

    public MicrometerSandaiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static SandaiMetrics globalRegistry() {
        return new MicrometerSandaiMetrics(Metrics.globalRegistry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    private static Tags tags(TaskTags t) {
        return Tags.of("role", t.role(), "operator", t.operator(), "version", t.version(), "priority", t.priority());
    }

    @Override
    public void taskSent(TaskTags tags) {
        Counter.builder("sandai.tasks.sent").description("Tasks that reached Redis").tags(tags(tags))
                .register(registry).increment();
    }

    @Override
    public void taskFinished(TaskTags tags, TaskOutcome outcome, String reason, Duration elapsed) {
        Tags base = tags(tags);
        switch (outcome) {
            case SUCCEEDED -> Counter.builder("sandai.tasks.succeeded").description("Tasks that ended with a result")
                    .tags(base).register(registry).increment();
            case CANCELLED -> Counter.builder("sandai.tasks.cancelled").description("Tasks cancelled or revoked")
                    .tags(base).register(registry).increment();
            case FAILED -> Counter.builder("sandai.tasks.failed").description("Tasks that failed or timed out")
                    .tags(base.and("reason", reason == null ? "error" : reason)).register(registry).increment();
        }
        if (elapsed != null) {
            Timer.builder("sandai.tasks.duration")
                    .description("Client: send to final result; operator: run time")
                    .tags(base.and("outcome", outcome.name().toLowerCase()))
                    .register(registry).record(elapsed);
        }
    }

    @Override
    public Runnable inFlight(TaskTags tags) {
        AtomicInteger count = inFlight.computeIfAbsent(tags, t -> {
            AtomicInteger fresh = new AtomicInteger();
            Gauge.builder("sandai.tasks.in.flight", fresh, AtomicInteger::get)
                    .description("Calls awaiting a result (client) or tasks running (operator)")
                    .tags(tags(t)).register(registry);
            return fresh;
        });
        count.incrementAndGet();
        return count::decrementAndGet;
    }

    @Override
    public void queueWait(TaskTags tags, Duration wait) {
        Timer.builder("sandai.tasks.queue.wait").description("Taken from Redis until running (operator)")
                .tags(tags(tags)).register(registry).record(wait);
    }

    @Override
    public void poolOpened(String poolName, PoolStats stats) {
        Tags tags = Tags.of("pool", poolName);
        Meter[] meters = {
            Gauge.builder("sandai.pool.active", stats, PoolStats::active).tags(tags)
                    .description("Connections in use").register(registry),
            Gauge.builder("sandai.pool.idle", stats, PoolStats::idle).tags(tags)
                    .description("Idle pooled connections").register(registry),
            Gauge.builder("sandai.pool.waiting", stats, PoolStats::waiting).tags(tags)
                    .description("Threads waiting for a connection").register(registry),
            Gauge.builder("sandai.pool.max", stats, PoolStats::max).tags(tags)
                    .description("Most connections of the pool").register(registry) };
        // Pool names are unique per open pool (shared transports are keyed); a reopened name gets fresh gauges.
        poolGauges.put(poolName, meters);
    }

    @Override
    public void poolClosed(String poolName) {
        Meter[] meters = poolGauges.remove(poolName);
        if (meters != null) {
            for (Meter m : meters) {
                registry.remove(m);
            }
        }
    }
}
