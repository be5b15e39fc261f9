package io.camelsandai.benchmarks.worker;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.stream.Stream;

import redis.clients.jedis.Jedis;

/**
 * CPU time spent by each party during a measured phase: the worker process tree, redis-server's main thread and
 * this (client) JVM. On a shared 2-core machine these numbers, not wall time alone, say where a bottleneck is.
 */
final class CpuMeter {
    record Snapshot(long workerNanos, long redisNanos, long clientNanos) {
    }

    record Usage(double workerSeconds, double redisSeconds, double clientSeconds) {
        double microsPerTask(double seconds, int tasks) {
            return seconds * 1e6 / tasks;
        }
    }

    private CpuMeter() {
    }

    static Snapshot take(ProcessHandle worker, Jedis redis) {
        return new Snapshot(treeCpuNanos(worker), redisCpuNanos(redis), clientCpuNanos());
    }

    static Usage between(Snapshot before, Snapshot after) {
        return new Usage((after.workerNanos() - before.workerNanos()) / 1e9,
                (after.redisNanos() - before.redisNanos()) / 1e9, (after.clientNanos() - before.clientNanos()) / 1e9);
    }

    /**
     * On RabbitMQ: the worker tree (none when the worker runs in this JVM), the broker's {@code beam.smp} processes
     * (in the {@code redis} slot) and this JVM.
     */
    static Snapshot takeOnRabbitMq(ProcessHandle workerOrNull) {
        long broker = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/beam.smp")).orElse(false))
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
        return new Snapshot(workerOrNull == null ? 0 : treeCpuNanos(workerOrNull), broker, clientCpuNanos());
    }

    /** The process and its living children (Celery's prefork pool). */
    static long treeCpuNanos(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants())
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }

    static long redisCpuNanos(Jedis redis) {
        double seconds = 0;
        for (String line : redis.info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return (long) (seconds * 1e9);
    }

    static long clientCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
