package io.camelsandai.benchmarks.worker;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.camelsandai.benchmarks.BenchRedis;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.Priority;
import redis.clients.jedis.Jedis;

/**
 * Issue 15, "fleet on one Redis": 8 Java worker JVMs ({@link TaggedJavaWorkerMain}, {@code -Xmx128m}, concurrency 2,
 * default prefetch = concurrency) and 8 stock Celery workers ({@code -P solo}, Celery's defaults: gossip, mingle,
 * heartbeat, prefetch multiplier 4) on one private Redis, all consuming the same four priority queues.
 * <ol>
 *   <li>Idle: commands/s per worker with the whole fleet idle (heartbeats, gossip, tracking wake-ups included).</li>
 *   <li>Flood: N tasks, a quarter on each priority, pre-staged and released at once; total tasks/s, share per
 *       worker kind, Redis CPU and worker CPU per task.</li>
 *   <li>Strict priority: a queue of low tasks is released; once the fleet is busy on it, a batch of high tasks is
 *       released. Each result carries the worker and the instant its task started; counted per worker kind: low
 *       tasks started after the high batch was queued and before that worker's last high task started.</li>
 * </ol>
 * <pre>java -Xmx1g -cp benchmarks/target/classes:camel-sandai-component/target/classes:$(cat /tmp/cost-benchcp.txt) io.camelsandai.benchmarks.worker.FleetBenchmark</pre>
 * {@code -Dbench.floodTasks} (20000), {@code -Dbench.lowTasks} (8000), {@code -Dbench.highTasks} (1000),
 * {@code -Dbench.javaWorkers}, {@code -Dbench.celeryWorkers} (8 each), {@code -Dbench.celeryPool} (solo),
 * {@code -Dbench.celeryQueueOrder} (kombu's {@code queue_order_strategy}; unset: its default, round robin).
 */
public final class FleetBenchmark {
    static final int JAVA_CONCURRENCY = 2;
    static final int CELERY_PREFETCH_MULTIPLIER = 4;

    private FleetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int javaWorkers = Integer.getInteger("bench.javaWorkers", 8);
        int celeryWorkers = Integer.getInteger("bench.celeryWorkers", 8);
        String pool = System.getProperty("bench.celeryPool", "solo");
        int floodTasks = Integer.getInteger("bench.floodTasks", 20_000);
        int lowTasks = Integer.getInteger("bench.lowTasks", 8_000);
        int highTasks = Integer.getInteger("bench.highTasks", 1_000);
        Path pythonDir = WorkerBenchmark.pythonModuleDir();
        List<WorkerProcess> fleet = Collections.synchronizedList(new ArrayList<>());
        StringBuilder report = new StringBuilder();
        try (BenchRedis redis = BenchRedis.start()) {
            long t0 = System.nanoTime();
            startFleet(redis, pythonDir, pool, javaWorkers, celeryWorkers, fleet);
            log("fleet of %d ready in %.1f s, load %.1f", fleet.size(), (System.nanoTime() - t0) / 1e9, load());
            try (Jedis admin = redis.jedis()) {
                report.append(idle(admin, javaWorkers, celeryWorkers));
            }
            try (FleetStaging staging = new FleetStaging(redis)) {
                flood(staging, fleet, Math.max(2_000, floodTasks / 5)); // warm-up: JITs, pools, connections
                report.append(flood(staging, fleet, floodTasks).table());
                report.append(priority(staging, lowTasks, highTasks, javaWorkers, celeryWorkers, pool));
            }
        } finally {
            fleet.parallelStream().forEach(WorkerProcess::close);
        }
        System.out.println(report);
    }

    private static void startFleet(BenchRedis redis, Path pythonDir, String pool, int javaWorkers, int celeryWorkers,
                                   List<WorkerProcess> fleet) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = WorkerBenchmark.classPath();
        ExecutorService starters = Executors.newFixedThreadPool(Math.max(1, javaWorkers + celeryWorkers));
        try {
            List<CompletableFuture<Void>> started = new ArrayList<>();
            for (int i = 0; i < javaWorkers; i++) {
                String name = "java-" + i;
                List<String> command = List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-cp", classPath,
                        TaggedJavaWorkerMain.class.getName(), redis.url(), WorkerBenchmark.OPERATOR,
                        WorkerBenchmark.VERSION, Integer.toString(JAVA_CONCURRENCY), name);
                started.add(CompletableFuture.runAsync(() -> fleet.add(unchecked(() -> WorkerProcess.start(name,
                        command, Map.of(), WorkerBenchmark.READY_WITHIN.multipliedBy(2)))), starters));
            }
            for (int i = 0; i < celeryWorkers; i++) {
                String name = "celery-" + i;
                Map<String, String> env = new java.util.HashMap<>(Map.of("SANDAI_BENCH_WORKER_NAME", name));
                String queueOrder = System.getProperty("bench.celeryQueueOrder", ""); // kombu's default: round_robin
                if (!queueOrder.isEmpty()) {
                    env.put("SANDAI_BENCH_QUEUE_ORDER", queueOrder);
                }
                started.add(CompletableFuture.runAsync(() -> fleet.add(unchecked(() -> WorkerBenchmark.celeryWorker(
                        redis, pythonDir, pool, 1, false, name, env))), starters));
            }
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        } finally {
            starters.shutdown();
        }
    }

    interface Start {
        WorkerProcess get() throws Exception;
    }

    private static WorkerProcess unchecked(Start start) {
        try {
            return start.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- idle ------------------------------------------------------------------------------------------------

    private static String idle(Jedis admin, int javaWorkers, int celeryWorkers) {
        int workers = javaWorkers + celeryWorkers;
        LockSupport.parkNanos(5_000_000_000L); // past the start-up chatter (mingle, first heartbeats)
        int seconds = Integer.getInteger("bench.idleSeconds", 15);
        admin.configResetStat();
        double loadBefore = load();
        long cpuBefore = CpuMeter.redisCpuNanos(admin);
        LockSupport.parkNanos(seconds * 1_000_000_000L);
        long cpu = CpuMeter.redisCpuNanos(admin) - cpuBefore;
        List<CommandStats.Line> lines = CommandStats.read(admin);
        // Our own CONFIG RESETSTAT and the INFO CPU reads are in the stats: left out.
        List<CommandStats.Line> fleetLines = lines.stream().filter(l -> !l.command().startsWith("config")
                && !l.command().startsWith("info")).toList();
        long calls = fleetLines.stream().mapToLong(CommandStats.Line::calls).sum();
        String top = fleetLines.stream()
                .sorted((a, b) -> Long.compare(b.calls(), a.calls())).limit(6)
                .map(l -> String.format(Locale.ROOT, "%s %.2f/s", l.command(), l.calls() / (double) seconds))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "| idle fleet | workers | seconds | commands/s total | commands/s per worker "
                + "| Redis CPU ms/s | most frequent (whole fleet) | load average |%n|---|---|---|---|---|---|---|---|%n"
                + "| %d Java + %d Celery | %d | %d | %.2f | %.2f | %.2f | %s | %.1f → %.1f |%n%n", javaWorkers, celeryWorkers,
                workers, seconds, calls / (double) seconds, calls / (double) seconds / workers, cpu / 1e6 / seconds, top,
                loadBefore, load());
    }

    // ---- flood -----------------------------------------------------------------------------------------------

    record Flood(int tasks, double seconds, int javaWorkers, int celeryWorkers, long javaTasks, long celeryTasks, double redisMicros, double javaMicros,
                 double celeryMicros, Map<Priority, Double> meanStartMillis, double loadBefore, double loadAfter) {
        String table() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "| flood tasks | seconds | tasks/s "
                    + "| Java share | Celery share | Java tasks/s per worker | Celery tasks/s per worker "
                    + "| Redis CPU µs/task | worker CPU µs/task Java / Celery | load average |%n"
                    + "|---|---|---|---|---|---|---|---|---|---|%n"
                    + "| %,d | %.2f | %,.0f | %.1f %% | %.1f %% | %,.0f | %,.0f | %.1f | %.0f / %.0f | %.1f → %.1f |%n",
                    tasks, seconds, tasks / seconds, 100.0 * javaTasks / tasks, 100.0 * celeryTasks / tasks,
                    javaTasks / seconds / javaWorkers, celeryTasks / seconds / celeryWorkers, redisMicros, javaMicros, celeryMicros,
                    loadBefore, loadAfter));
            out.append("\nMean start time after release, by priority: ");
            out.append(meanStartMillis.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.0f ms",
                    e.getKey().name().toLowerCase(Locale.ROOT), e.getValue())).collect(Collectors.joining(", ")));
            return out.append("\n\n").toString();
        }
    }

    private static Flood flood(FleetStaging staging, List<WorkerProcess> fleet, int tasks) {
        Priority[] priorities = Priority.values();
        List<OperatorRequest> requests = new ArrayList<>(tasks);
        List<Priority> chosen = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            requests.add(LoadClient.request(i));
            chosen.add(priorities[i % priorities.length]);
        }
        List<String> ids = staging.stage(requests, chosen);
        Jedis admin = staging.admin();
        double loadBefore = load();
        long redisBefore = CpuMeter.redisCpuNanos(admin);
        long javaBefore = fleetCpu(fleet, true);
        long celeryBefore = fleetCpu(fleet, false);
        admin.configResetStat();
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        for (Priority p : priorities) {
            staging.release(p);
        }
        staging.awaitDone(ids);
        System.err.println("flood Redis commands per task:\n" + CommandStats.perTask(admin, tasks));
        double seconds = (System.nanoTime() - start) / 1e9;
        long redis = CpuMeter.redisCpuNanos(admin) - redisBefore;
        long javaCpu = fleetCpu(fleet, true) - javaBefore;
        long celeryCpu = fleetCpu(fleet, false) - celeryBefore;
        Map<String, FleetStaging.Tag> tags = staging.tags(ids);
        long javaTasks = tags.values().stream().filter(FleetStaging.Tag::java).count();
        long celeryTasks = tasks - javaTasks;
        Map<Priority, Double> meanStart = new java.util.EnumMap<>(Priority.class);
        for (Priority p : priorities) {
            meanStart.put(p, java.util.stream.IntStream.range(0, tasks).filter(i -> chosen.get(i) == p)
                    .mapToDouble(i -> tags.get(ids.get(i)).startMillis() - startMillis).average().orElse(0));
        }
        Flood flood = new Flood(tasks, seconds, (int) fleet.stream().filter(w -> w.label().startsWith("java")).count(),
                (int) fleet.stream().filter(w -> !w.label().startsWith("java")).count(), javaTasks, celeryTasks, redis / 1e3 / tasks,
                javaTasks == 0 ? 0 : javaCpu / 1e3 / javaTasks, celeryTasks == 0 ? 0 : celeryCpu / 1e3 / celeryTasks,
                meanStart, loadBefore, load());
        log("flood %,d: %.2f s, %,.0f tasks/s, java %d, celery %d", tasks, seconds, tasks / seconds, javaTasks,
                celeryTasks);
        return flood;
    }

    private static long fleetCpu(List<WorkerProcess> fleet, boolean java) {
        synchronized (fleet) {
            return fleet.stream().filter(w -> w.label().startsWith("java") == java)
                    .mapToLong(w -> CpuMeter.treeCpuNanos(w.handle())).sum();
        }
    }

    // ---- strict priority -------------------------------------------------------------------------------------

    private static String priority(FleetStaging staging, int lowTasks, int highTasks, int javaWorkers,
                                   int celeryWorkers, String pool) {
        List<String> lowIds = staging.stage(java.util.Collections.nCopies(lowTasks, LoadClient.request(0)),
                java.util.Collections.nCopies(lowTasks, Priority.LOW));
        List<String> highIds = staging.stage(java.util.Collections.nCopies(highTasks, LoadClient.request(1)),
                java.util.Collections.nCopies(highTasks, Priority.HIGH));
        double loadBefore = load();
        staging.release(Priority.LOW);
        // Let the whole fleet get busy on the low queue (every worker's prefetch full) before the high batch lands.
        while (staging.queued(Priority.LOW) > lowTasks - Math.max(500, lowTasks / 8)) {
            LockSupport.parkNanos(1_000_000);
        }
        long highQueuedAt = System.currentTimeMillis();
        staging.release(Priority.HIGH);
        long lowLeftAtRelease = staging.queued(Priority.LOW);
        List<String> all = new ArrayList<>(lowIds);
        all.addAll(highIds);
        staging.awaitDone(all);
        Map<String, FleetStaging.Tag> tags = staging.tags(all);
        // Per worker: the start of its last high task; low tasks it started between the high batch's arrival and
        // then ran while high work was still waiting for it (or in its prefetch).
        Map<String, Double> lastHigh = highIds.stream().map(tags::get).collect(Collectors.toMap(
                FleetStaging.Tag::worker, FleetStaging.Tag::startMillis, Math::max));
        double fleetLastHigh = lastHigh.values().stream().mapToDouble(Double::doubleValue).max().orElse(highQueuedAt);
        long[] inverted = new long[2];
        long[] lowInWindow = new long[2];
        long[] highs = new long[2];
        long lowAfterAll = 0;
        for (String id : lowIds) {
            FleetStaging.Tag t = tags.get(id);
            int kind = t.java() ? 0 : 1;
            Double last = lastHigh.get(t.worker());
            if (last != null && t.startMillis() > highQueuedAt && t.startMillis() < last) {
                inverted[kind]++;
            }
            if (t.startMillis() > highQueuedAt && t.startMillis() < fleetLastHigh) {
                lowInWindow[kind]++;
            }
            if (t.startMillis() > fleetLastHigh) {
                lowAfterAll++;
            }
        }
        for (String id : highIds) {
            highs[tags.get(id).java() ? 0 : 1]++;
        }
        log("priority: high batch drained in %.0f ms; low started in window java %d celery %d", fleetLastHigh
                - highQueuedAt, lowInWindow[0], lowInWindow[1]);
        return String.format(Locale.ROOT, "Strict priority: %,d low tasks released, %,d high tasks released once "
                + "%,d low were taken (%,d low still queued); the high batch was started within %.0f ms; %,d low "
                + "tasks started after the last high one (the low queue outlived the high batch). Load average %.1f "
                + "→ %.1f.%n%n| worker kind | workers | prefetch per worker | high tasks run | low started in the high "
                + "window, any worker | low started by a worker before its own last high | bound from prefetch in "
                + "flight (workers × prefetch) |%n|---|---|---|---|---|---|---|%n"
                + "| java OperatorRuntime c=%d | %d | %d | %,d | %,d | %,d | %d |%n"
                + "| python celery -P %s | %d | %d | %,d | %,d | %,d | %d |%n",
                lowTasks, highTasks, lowTasks - lowLeftAtRelease, lowLeftAtRelease, fleetLastHigh - highQueuedAt,
                lowAfterAll, loadBefore, load(),
                JAVA_CONCURRENCY, javaWorkers, JAVA_CONCURRENCY, highs[0], lowInWindow[0], inverted[0],
                javaWorkers * JAVA_CONCURRENCY,
                pool, celeryWorkers, CELERY_PREFETCH_MULTIPLIER, highs[1], lowInWindow[1], inverted[1],
                celeryWorkers * CELERY_PREFETCH_MULTIPLIER);
    }

    // ---- util ------------------------------------------------------------------------------------------------

    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, format + "%n", args);
    }
}
