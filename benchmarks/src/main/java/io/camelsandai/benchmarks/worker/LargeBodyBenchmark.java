package io.camelsandai.benchmarks.worker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.camelsandai.benchmarks.BenchRedis;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.Priority;
import redis.clients.jedis.Jedis;

/**
 * Issue 15, "1 MiB task bodies": tasks whose options carry a ~1 MiB string, drained by the Java worker
 * ({@link JavaWorkerMain}, concurrency 8, {@code -Xmx512m}) and by stock Celery {@code -P prefork -c 2} (the best
 * Celery pool of {@link WorkerBenchmark} on Redis), in the same run on the same private Redis, pre-staged and released
 * at once ({@link FleetStaging}): tasks/s, MiB/s, CPU µs per task of worker and Redis, the worker's peak resident set
 * (and live heap for the JVM). Then the oversize case: a Java worker with {@code maxMessageBytes} 256 KiB gets one
 * 1 MiB task: its result, the dead-letter entry, and how many bytes Redis sent out while it was handled (against a
 * 1 KiB task handled the same way), i.e. whether the body still reaches the JVM whole; also one of about 100 times the
 * limit ({@code -Dbench.hugeKiB}, 19,300: a 25.7 MB message), with Redis's CPU for each.
 * <pre>java -Xmx2g -cp benchmarks/target/classes:camel-sandai-component/target/classes:$(cat /tmp/cost-benchcp.txt) io.camelsandai.benchmarks.worker.LargeBodyBenchmark</pre>
 * {@code -Dbench.largeTasks} (100), {@code -Dbench.bodyKiB} (1024), {@code -Dbench.rounds} (2).
 */
public final class LargeBodyBenchmark {
    static final String DEAD_LETTER = "sandai.dead-letter";

    record Row(String worker, int tasks, long messageBytes, double seconds, double workerMicros, double redisMicros,
               long peakRssBytes, long liveHeapBytes, double load) {
        String line() {
            return String.format(Locale.ROOT, "| %s | %,d | %,d | %.2f | %,.0f | %.0f | %,.0f | %,.0f | %.1f | %s | %.1f |%n",
                    worker, tasks, messageBytes, seconds, tasks / seconds, tasks * messageBytes / seconds / 1048576.0,
                    workerMicros, redisMicros, peakRssBytes / 1048576.0,
                    liveHeapBytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", liveHeapBytes / 1048576.0), load);
        }
    }

    private LargeBodyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = Integer.getInteger("bench.largeTasks", 100);
        int bodyKiB = Integer.getInteger("bench.bodyKiB", 1024);
        int rounds = Integer.getInteger("bench.rounds", 2);
        String blob = randomText(bodyKiB * 1024);
        Path pythonDir = WorkerBenchmark.pythonModuleDir();
        List<Row> rows = new ArrayList<>();
        String oversize;
        try (BenchRedis redis = BenchRedis.start()) {
            for (int round = 0; round < rounds; round++) { // interleaved: background load falls on both alike
                rows.add(drain(redis, "java OperatorRuntime c=8", true, r -> WorkerBenchmark.plainJavaWorker(r, 8),
                        tasks, blob));
                rows.add(drain(redis, "python celery -P prefork -c 2", false,
                        r -> WorkerBenchmark.celeryWorker(r, pythonDir, "prefork", 2), tasks, blob));
            }
            oversize = oversize(redis, blob);
        }
        System.out.println("| worker | tasks | message bytes in Redis | seconds | tasks/s | MiB/s | worker CPU µs/task "
                           + "| Redis CPU µs/task | worker peak RSS MiB | worker live heap after MiB | load average |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(r -> System.out.print(r.line()));
        System.out.println();
        System.out.println(oversize);
    }

    private static Row drain(BenchRedis redis, String label, boolean java, WorkerBenchmark.Starter starter, int tasks,
                             String blob) throws Exception {
        flush(redis);
        OperatorRequest request = OperatorRequest.of(List.of(), Map.of("blob", blob));
        try (WorkerProcess worker = starter.start(redis); FleetStaging staging = new FleetStaging(redis)) {
            List<Priority> normal = Collections.nCopies(tasks, Priority.NORMAL);
            int warm = Math.max(10, tasks / 5);
            List<String> warmIds = staging.stage(Collections.nCopies(warm, request), normal.subList(0, warm));
            staging.release(Priority.NORMAL);
            staging.awaitDone(warmIds);
            List<String> ids = staging.stage(Collections.nCopies(tasks, request), normal);
            long messageBytes = staging.stagedMessageBytes(Priority.NORMAL);
            Jedis admin = staging.admin();
            long workerBefore = CpuMeter.treeCpuNanos(worker.handle());
            long redisBefore = CpuMeter.redisCpuNanos(admin);
            admin.configResetStat();
            long start = System.nanoTime();
            staging.release(Priority.NORMAL);
            LoadClient.awaitDrained(admin, FleetStaging.queue(Priority.NORMAL), ids);
            System.err.println(label + " Redis commands per task:\n" + CommandStats.perTask(admin, tasks));
            double seconds = (System.nanoTime() - start) / 1e9;
            double workerMicros = (CpuMeter.treeCpuNanos(worker.handle()) - workerBefore) / 1e3 / tasks;
            double redisMicros = (CpuMeter.redisCpuNanos(admin) - redisBefore) / 1e3 / tasks;
            long failed = ids.stream().filter(id -> !"SUCCESS".equals(meta(admin, id).status())).count();
            if (failed > 0) {
                throw new IllegalStateException(label + ": " + failed + " of " + tasks + " tasks did not succeed");
            }
            long heap = java ? CostCurves.liveHeap(worker.handle().pid()) : -1;
            Row row = new Row(label, tasks, messageBytes, seconds, workerMicros, redisMicros, peakRss(worker.handle()),
                    heap, FleetBenchmark.load());
            System.err.print(row.line());
            return row;
        }
    }

    /**
     * A worker with maxMessageBytes 256 KiB: a 1 KiB task (the control), then one of twice the limit (within the
     * 4× the runtime still reads a task id from) and one of the full body.
     */
    private static String oversize(BenchRedis redis, String blob) throws Exception {
        flush(redis);
        int limit = 256 * 1024;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx512m", "-cp", WorkerBenchmark.classPath(),
                TaggedJavaWorkerMain.class.getName(), redis.url(), WorkerBenchmark.OPERATOR, WorkerBenchmark.VERSION,
                "8", "java-limited", Integer.toString(limit));
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "Oversize, worker with maxMessageBytes %,d:"
                + "%n%n| options blob | message bytes in Redis | × limit | result | dead-letter entries added | dead-letter "
                + "entry bytes | bytes Redis sent while handled | − the 1 KiB control | ÷ message bytes "
                + "| Redis CPU ms while handled |%n"
                + "|---|---|---|---|---|---|---|---|---|---|%n", limit));
        String huge = randomText(Integer.getInteger("bench.hugeKiB", 19_300) * 1024);
        try (WorkerProcess worker = WorkerProcess.start("java-limited", command, Map.of(),
                WorkerBenchmark.READY_WITHIN);
             FleetStaging staging = new FleetStaging(redis)) {
            Handled control = handle(staging, "1 KiB", randomText(1024));
            for (Handled h : List.of(control, handle(staging, "512 KiB", blob.substring(0, 512 * 1024)),
                    handle(staging, blob.length() / 1024 + " KiB", blob),
                    handle(staging, huge.length() / 1024 + " KiB", huge))) {
                out.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %s | %d | %,d | %,d | %,d | %.2f | %.1f |%n",
                        h.label(), h.messageBytes(), h.messageBytes() / (double) limit, h.meta() == null
                        ? "none written" : h.meta().status() + " " + h.meta().result(), h.deadLetters(),
                        h.deadLetterBytes(), h.netOut(), h.netOut() - control.netOut(),
                        (h.netOut() - control.netOut()) / (double) h.messageBytes(), h.redisCpuNanos() / 1e6));
            }
            out.append(String.format(Locale.ROOT, "%nWorker still alive afterwards: %s.%n", worker.handle().isAlive()));
        }
        return out.toString();
    }

    record Handled(String label, ResultMeta meta, long messageBytes, long deadLetters, long deadLetterBytes,
                   long netOut, long redisCpuNanos) {
    }

    /**
     * Stages one task, releases it and waits until it is handled (its result, and for a refused one also its dead
     * letter); the bytes Redis wrote to all its clients meanwhile (the worker's take, plus this benchmark's light
     * polling, which the control task pays alike) and Redis's CPU.
     */
    private static Handled handle(FleetStaging staging, String label, String blob) {
        List<String> ids = staging.stage(List.of(OperatorRequest.of(List.of(), Map.of("blob", blob))),
                List.of(Priority.NORMAL));
        long messageBytes = staging.stagedMessageBytes(Priority.NORMAL);
        Jedis admin = staging.admin();
        byte[] metaKey = io.camelsandai.transport.ResultBackend.metaKey(ids.get(0)).getBytes(StandardCharsets.UTF_8);
        long deadBefore = admin.llen(DEAD_LETTER);
        long before = netOutput(admin);
        long cpuBefore = CpuMeter.redisCpuNanos(admin);
        staging.release(Priority.NORMAL);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (admin.llen(FleetStaging.queue(Priority.NORMAL)) > 0
               || (!admin.exists(metaKey) && admin.llen(DEAD_LETTER) == deadBefore)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(label + ": neither a result nor a dead letter within 60 s");
            }
            LockSupport.parkNanos(1_000_000);
        }
        // a refused task gets its result and its dead letter one after the other, in either order (or no result: no
        // task id read); handled = both there, or a result of a task that ran
        long grace = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < grace) {
            boolean result = admin.exists(metaKey);
            if (result && (admin.llen(DEAD_LETTER) > deadBefore || !refused(meta(admin, ids.get(0))))) {
                break;
            }
            LockSupport.parkNanos(2_000_000);
        }
        long after = netOutput(admin);
        long cpu = CpuMeter.redisCpuNanos(admin) - cpuBefore;
        long deadLetters = admin.llen(DEAD_LETTER) - deadBefore;
        byte[] entry = deadLetters > 0 ? admin.lindex(DEAD_LETTER.getBytes(StandardCharsets.UTF_8), 0) : null;
        return new Handled(label, admin.exists(metaKey) ? meta(admin, ids.get(0)) : null, messageBytes, deadLetters,
                entry == null ? 0 : entry.length, after - before, cpu);
    }

    private static boolean refused(ResultMeta meta) {
        return meta.result() instanceof Map<?, ?> r && "failed".equals(r.get("status"));
    }

    private static long netOutput(Jedis admin) {
        return Long.parseLong(stat(admin, "stats", "total_net_output_bytes"));
    }

    private static String stat(Jedis admin, String section, String field) {
        for (String line : admin.info(section).split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        throw new IllegalStateException("no " + field + " in INFO " + section);
    }

    private static ResultMeta meta(Jedis admin, String id) {
        return ResultMeta.decode(admin.get(io.camelsandai.transport.ResultBackend.metaKey(id)
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** Peak resident set of the process and its children (VmHWM from /proc), bytes. */
    static long peakRss(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants()).mapToLong(p -> {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                return 0;
            }
            return 0;
        }).sum();
    }

    private static String randomText(int length) {
        Random random = new Random(15);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(chars);
    }

    private static void flush(BenchRedis redis) {
        try (Jedis j = redis.jedis()) {
            j.flushAll();
        }
    }
}
