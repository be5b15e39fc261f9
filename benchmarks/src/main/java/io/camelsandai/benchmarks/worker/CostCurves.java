package io.camelsandai.benchmarks.worker;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

import io.camelsandai.benchmarks.BenchRedis;
import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import redis.clients.jedis.Jedis;

/**
 * Cost curves (issue #15): for N calls in flight and N queued tasks, the time, heap, connections and Redis CPU per
 * task, against one warmed Java worker (concurrency 32, default prefetch) on a private Redis.
 *
 * <ul>
 *   <li>Backlog: N tasks are queued under a staging queue name, then RENAMEd onto the worker's queue in one step,
 *       so the warmed worker finds N waiting at once; timed until the queue and kombu's {@code unacked} are empty.
 *       Also: the largest {@code unacked} seen (bounded by prefetch) and the worker's live heap (class histogram)
 *       before and after.</li>
 *   <li>Calls in flight: N {@code callAsync} calls from this JVM wait for their results while their messages sit in
 *       the staging queue; then the same RENAME, timed until every call completed. Heap per waiting call is the
 *       difference of this JVM's live heap (class histogram after a full GC) with N calls waiting and before;
 *       connections are counted with CLIENT LIST, threads with the ThreadMXBean. The floor is the backlog drain of
 *       the same N (the worker's own pace, nobody waiting), drained just before and again just after the calls:
 *       their mean.</li>
 * </ul>
 *
 * <pre>java -Xmx3g -cp benchmarks/target/classes:$(cat cp.txt) io.camelsandai.benchmarks.worker.CostCurves</pre>
 * {@code -Dbench.sizes=1000,10000,100000} (comma list), {@code -Dbench.curves=backlog,inflight},
 * {@code -Dbench.inflightMax=100000} (the largest N run as calls in flight), {@code -Dbench.repeats=1} (in-flight
 * runs per N, each between two floor drains, after one warm-up drain when more than one; the median × floor is
 * printed); {@code -Dbench.curves=idle} instead
 * measures what one idle worker costs Redis ({@code -Dbench.idleMillis=20000}).
 */
public final class CostCurves {
    private static final String STAGED = "staged";
    private static final int CONCURRENCY = 32;

    record BacklogRow(int n, double seconds, double redisMicrosPerTask, long maxUnacked, long workerHeapBefore,
                      long workerHeapAfter) {
        double rate() {
            return n / seconds;
        }
    }

    record InFlightRow(int n, double seconds, double floorSeconds, long heapBytesPerCall, int connections,
                       int threads, double redisMicrosPerTask) {
        InFlightRow withFloor(double floor) {
            return new InFlightRow(n, seconds, floor, heapBytesPerCall, connections, threads, redisMicrosPerTask);
        }
    }

    private CostCurves() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = Arrays.stream(System.getProperty("bench.sizes", "1000,10000,100000").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        String curves = System.getProperty("bench.curves", "backlog,inflight");
        int inFlightMax = Integer.getInteger("bench.inflightMax", 100_000); // 10^6 waiting calls need -Xmx4g or more
        int repeats = Integer.getInteger("bench.repeats", 1);
        if (curves.equals("idle")) {
            idle();
            return;
        }
        List<BacklogRow> backlog = new ArrayList<>();
        List<InFlightRow> inFlight = new ArrayList<>();
        try (BenchRedis redis = BenchRedis.start()) {
            OperatorSettings settings = OperatorSettings.builder().brokerUrl(redis.url()).environment(k -> null)
                    .defaultTimeout(Duration.ofMinutes(30)).build();
            try (Jedis admin = redis.jedis()) {
                admin.flushAll();
            }
            try (WorkerProcess worker = WorkerBenchmark.plainJavaWorker(redis, CONCURRENCY);
                 OperatorClient warm = OperatorClient.create(WorkerBenchmark.OPERATOR, WorkerBenchmark.VERSION,
                         settings);
                 OperatorClient staged = OperatorClient.create(WorkerBenchmark.OPERATOR, STAGED, settings);
                 Jedis admin = redis.jedis()) {
                LoadClient.throughput(warm, 30_000); // JIT of both JVMs, connections: not measured
                for (int n : sizes) {
                    if (repeats > 1 && curves.contains("inflight") && n <= inFlightMax) {
                        // the worker's first drain of a large backlog is still its JIT's (up to 1.5x slower than
                        // the next): as a floor it made the first calls-in-flight run look cheaper than it was
                        BacklogRow warmUp = backlog(admin, staged, worker, n);
                        System.err.printf(Locale.ROOT, "warm-up drain %,d: %.2f s (not a floor)%n", n,
                                warmUp.seconds());
                    }
                    BacklogRow b = backlog(admin, staged, worker, n);
                    backlog.add(b);
                    printBacklog(b);
                    if (curves.contains("inflight") && n <= inFlightMax) {
                        // floor, calls, floor, calls, ..., floor: each in-flight run is set against the mean of the
                        // drains just before and just after it, so a machine that slows down or speeds up during
                        // the minutes of a run does not show as a cost or a gain of the waiting calls
                        for (int r = 0; r < repeats; r++) {
                            InFlightRow f = inFlight(admin, settings, n, b.seconds());
                            BacklogRow after = backlog(admin, staged, worker, n);
                            backlog.add(after);
                            printBacklog(after);
                            f = f.withFloor((b.seconds() + after.seconds()) / 2);
                            inFlight.add(f);
                            System.err.printf(Locale.ROOT, "in flight %,d: %.2f s (floor %.2f, mean of %.2f and %.2f), "
                                    + "%,d B/call, %d conns%n", n, f.seconds(), f.floorSeconds(), b.seconds(),
                                    after.seconds(), f.heapBytesPerCall(), f.connections());
                            b = after;
                        }
                    }
                }
            }
        }
        System.out.println(backlogTable(backlog));
        if (!inFlight.isEmpty()) {
            System.out.println(inFlightTable(inFlight));
            for (int n : sizes) {
                double[] ratios = inFlight.stream().filter(f -> f.n() == n)
                        .mapToDouble(f -> f.seconds() / f.floorSeconds()).sorted().toArray();
                if (ratios.length > 1) {
                    System.out.printf(Locale.ROOT, "%,d calls in flight: × floor %s, median %.2f%n", n,
                            Arrays.toString(Arrays.stream(ratios).map(x -> Math.round(x * 100) / 100.0).toArray()),
                            ratios.length % 2 == 1 ? ratios[ratios.length / 2]
                                    : (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2);
                }
            }
        }
    }

    private static void printBacklog(BacklogRow b) {
        System.err.printf(Locale.ROOT, "backlog %,d: %.2f s, %,.0f tasks/s, redis %.1f µs/task%n", b.n(),
                b.seconds(), b.rate(), b.redisMicrosPerTask());
    }

    /**
     * What an idle worker costs Redis: one Java worker, then one stock Celery worker (prefork -c 2, Celery's default
     * gossip, mingle and heartbeat), each alone on a fresh private Redis, measured over a quiet window after start-up.
     */
    static void idle() throws Exception {
        long windowMillis = Long.getLong("bench.idleMillis", 20_000);
        StringBuilder out = new StringBuilder("| idle worker | commands/s (inside scripts included) "
                + "| Redis CPU ms/s | most frequent |\n|---|---|---|---|\n");
        Path python = WorkerBenchmark.pythonModuleDir();
        List<String> labels = List.of("java OperatorRuntime c=32", "python celery -P prefork -c 2 (stock events)");
        for (String label : labels) {
            try (BenchRedis redis = BenchRedis.start();
                 WorkerProcess worker = label.startsWith("java") ? WorkerBenchmark.plainJavaWorker(redis, CONCURRENCY)
                         : WorkerBenchmark.celeryWorker(redis, python, "prefork", 2, false);
                 Jedis admin = redis.jedis()) {
                LockSupport.parkNanos(5_000_000_000L); // past start-up (mingle, first heartbeats)
                admin.configResetStat();
                long processedBefore = totalCommands(admin);
                long cpuBefore = redisCpuMicros(admin);
                LockSupport.parkNanos(windowMillis * 1_000_000L);
                double seconds = windowMillis / 1000.0;
                // total_commands_processed counts the commands inside scripts too; our two INFO calls are left out
                long commands = totalCommands(admin) - processedBefore - 2;
                List<CommandStats.Line> lines = CommandStats.read(admin);
                StringBuilder top = new StringBuilder();
                lines.stream().filter(l -> !l.command().equals("info") && !l.command().startsWith("config"))
                        .sorted((a, b) -> Long.compare(b.calls(), a.calls())).limit(5)
                        .forEach(l -> top.append(String.format(Locale.ROOT, "%s %.2f/s ", l.command(),
                                l.calls() / seconds)));
                out.append(String.format(Locale.ROOT, "| %s | %.2f | %.3f | %s|%n", label, commands / seconds,
                        (redisCpuMicros(admin) - cpuBefore) / 1000.0 / seconds, top));
            }
        }
        System.out.println(out);
    }

    private static long totalCommands(Jedis admin) {
        for (String line : admin.info("stats").split("\r?\n")) {
            if (line.startsWith("total_commands_processed:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }

    static BacklogRow backlog(Jedis admin, OperatorClient staged, WorkerProcess worker, int n) throws IOException {
        List<CompletableFuture<?>> sends = new ArrayList<>(Math.min(n, 100_000));
        for (int i = 0; i < n; i++) {
            sends.add(staged.submitAsync(LoadClient.request(i), CallOptions.DEFAULTS));
            if (sends.size() == 100_000) {
                sends.forEach(CompletableFuture::join);
                sends.clear();
            }
        }
        sends.forEach(CompletableFuture::join);
        long heapBefore = liveHeap(worker.handle().pid());
        long cpuBefore = redisCpuMicros(admin);
        long start = System.nanoTime();
        admin.rename(queue(STAGED), queue(WorkerBenchmark.VERSION));
        long maxUnacked = 0;
        int polls = 0;
        while (true) {
            long queued = admin.llen(queue(WorkerBenchmark.VERSION));
            long unacked = admin.hlen("unacked");
            maxUnacked = Math.max(maxUnacked, unacked);
            if (queued == 0 && unacked == 0) {
                break;
            }
            LockSupport.parkNanos(polls++ < 200 ? 1_000_000 : 5_000_000); // bounded polling, light on 2 cores
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double redisPerTask = (redisCpuMicros(admin) - cpuBefore) / (double) n;
        return new BacklogRow(n, seconds, redisPerTask, maxUnacked, heapBefore, liveHeap(worker.handle().pid()));
    }

    static InFlightRow inFlight(Jedis admin, OperatorSettings settings, int n, double floorSeconds)
            throws IOException {
        long pid = ProcessHandle.current().pid();
        Set<String> connectionsBefore = connectionIds(admin);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapBefore = liveHeap(pid);
        List<CompletableFuture<OperatorResult>> calls = new ArrayList<>(n);
        try (OperatorClient client = OperatorClient.create(WorkerBenchmark.OPERATOR, STAGED, settings)) {
            for (int i = 0; i < n; i++) {
                calls.add(client.callAsync(LoadClient.request(i), CallOptions.DEFAULTS, null));
            }
            while (admin.llen(queue(STAGED)) < n) {
                LockSupport.parkNanos(5_000_000);
            }
            long heapWaiting = liveHeap(pid);
            Set<String> opened = connectionIds(admin);
            opened.removeAll(connectionsBefore); // the connections this client opened, still open while calls wait
            int threads = ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore;
            long cpuBefore = redisCpuMicros(admin);
            boolean clientThreadCpu = Boolean.getBoolean("bench.clientThreadCpu");
            Map<String, Double> cpuByThreadBefore = clientThreadCpu
                    ? ThreadGroupsCpu.byName(ProcessHandle.current()) : Map.of();
            Map<String, Double> switchesBefore = clientThreadCpu
                    ? ThreadGroupsCpu.switchesByName(ProcessHandle.current()) : Map.of();
            long clientBefore = CpuMeter.clientCpuNanos();
            long start = System.nanoTime();
            admin.rename(queue(STAGED), queue(WorkerBenchmark.VERSION));
            // one wait for all: joining each call in turn parked this thread and had a completion thread wake it
            // per call (0.2 context switches per call), a cost of the benchmark and not of the client
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            long failed = 0;
            for (CompletableFuture<OperatorResult> call : calls) {
                if (!call.join().isSuccess()) {
                    failed++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (failed > 0) {
                throw new IllegalStateException(failed + " of " + n + " calls did not succeed");
            }
            double redisPerTask = (redisCpuMicros(admin) - cpuBefore) / (double) n;
            System.err.printf(Locale.ROOT, "in flight %,d: client JVM CPU %.1f µs/call while the results came%n", n,
                    (CpuMeter.clientCpuNanos() - clientBefore) / 1e3 / n);
            if (clientThreadCpu) {
                System.err.print(ThreadGroupsCpu.perTaskByName(cpuByThreadBefore,
                        ThreadGroupsCpu.byName(ProcessHandle.current()), switchesBefore,
                        ThreadGroupsCpu.switchesByName(ProcessHandle.current()), n));
            }
            return new InFlightRow(n, seconds, floorSeconds, (heapWaiting - heapBefore) / n, opened.size(), threads,
                    redisPerTask);
        }
    }

    private static String queue(String version) {
        return Priority.NORMAL.queueFor(WorkerBenchmark.OPERATOR, version);
    }

    private static Set<String> connectionIds(Jedis admin) {
        Set<String> ids = new HashSet<>();
        admin.clientList().lines().filter(l -> l.startsWith("id=")).forEach(l -> ids.add(l.substring(0, l.indexOf(' '))));
        return ids;
    }

    private static long redisCpuMicros(Jedis admin) {
        double seconds = 0;
        for (String line : admin.info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return (long) (seconds * 1e6);
    }

    /** Live heap bytes of a JVM: the "Total" line of {@code jcmd <pid> GC.class_histogram} (after a full GC). */
    static long liveHeap(long pid) throws IOException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.class_histogram").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        for (String line : out.split("\n")) {
            String t = line.trim();
            if (t.startsWith("Total")) {
                String[] parts = t.split("\\s+");
                return Long.parseLong(parts[2]);
            }
        }
        throw new IllegalStateException("no Total line from jcmd GC.class_histogram: " + out);
    }

    static String backlogTable(List<BacklogRow> rows) {
        double base = rows.isEmpty() ? 0 : rows.get(0).rate();
        StringBuilder out = new StringBuilder("| queued tasks | drain s | tasks/s | × rate at first size | Redis CPU µs/task "
                + "| max unacked | worker live heap before → after (MiB) |\n|---|---|---|---|---|---|---|\n");
        for (BacklogRow r : rows) {
            out.append(String.format(Locale.ROOT, "| %,d | %.2f | %,.0f | %.2f | %.1f | %,d | %.1f → %.1f |%n", r.n(),
                    r.seconds(), r.rate(), r.rate() / base, r.redisMicrosPerTask(), r.maxUnacked(),
                    r.workerHeapBefore() / 1048576.0, r.workerHeapAfter() / 1048576.0));
        }
        return out.toString();
    }

    static String inFlightTable(List<InFlightRow> rows) {
        StringBuilder out = new StringBuilder("| calls in flight | done in s "
                + "| floor s (same backlog drained before and after, mean) | × floor | heap B per waiting call | Redis connections | threads added | Redis CPU µs/task |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (InFlightRow r : rows) {
            out.append(String.format(Locale.ROOT, "| %,d | %.2f | %.2f | %.2f | %,d | %d | %d | %.1f |%n", r.n(),
                    r.seconds(), r.floorSeconds(), r.seconds() / r.floorSeconds(), r.heapBytesPerCall(),
                    r.connections(), r.threads(), r.redisMicrosPerTask()));
        }
        return out.toString();
    }
}
