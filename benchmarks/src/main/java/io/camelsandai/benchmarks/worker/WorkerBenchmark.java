package io.camelsandai.benchmarks.worker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.camelsandai.benchmarks.BenchRedis;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.OperatorSettings;
import redis.clients.jedis.Jedis;

/**
 * No-op task throughput and end-to-end latency of our Java worker ({@code OperatorRuntime}) against the stock Python
 * Celery worker at its best, with the same Java client on the same private Redis in the same run; then the seed's
 * pressure scenario served by the Java worker. Prints Markdown tables for {@code docs/performance.md}.
 *
 * <pre>mvn -q -pl benchmarks -am install -DskipTests &amp;&amp; mvn -q -pl benchmarks exec:java -Dexec.mainClass=io.camelsandai.benchmarks.worker.WorkerBenchmark</pre>
 *
 * Task counts can be changed with {@code -Dbench.javaTasks}, {@code -Dbench.preforkTasks},
 * {@code -Dbench.threadsTasks}; {@code -Dbench.probeCalls} sets the latency probe length. {@code -Dbench.only=<label
 * part>} runs the matching rows only (a trailing {@code $} matches the label's end), {@code -Dbench.skipPressure=true}
 * leaves out the pressure scenario, {@code -Dbench.commandStats=true} prints Redis's commands and read/write system
 * calls per task of each row.
 */
public final class WorkerBenchmark {
    static final String OPERATOR = "noop-op";
    static final String VERSION = "v1";
    static final Duration READY_WITHIN = Duration.ofSeconds(90);

    /** One worker configuration: how to start it and how many tasks make a run of several seconds. */
    record Config(String worker, String pool, boolean java, int tasks, Starter starter) {
        String label() {
            return worker + " " + pool;
        }
    }

    interface Starter {
        WorkerProcess start(BenchRedis redis) throws Exception;
    }

    record Row(Config config, LoadClient.Throughput throughput, LoadClient.Latency latency, LoadClient.Throughput drain,
               CpuMeter.Usage cpu) {
        String cpuPerTask() {
            int n = throughput.tasks();
            return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", cpu.microsPerTask(cpu.workerSeconds(), n),
                    cpu.microsPerTask(cpu.redisSeconds(), n), cpu.microsPerTask(cpu.clientSeconds(), n));
        }
    }

    private WorkerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int javaTasks = Integer.getInteger("bench.javaTasks", 60_000);
        int preforkTasks = Integer.getInteger("bench.preforkTasks", 8_000);
        int threadsTasks = Integer.getInteger("bench.threadsTasks", 3_000);
        int probeCalls = Integer.getInteger("bench.probeCalls", 200);
        if ("compare".equals(System.getProperty("bench.tracing"))) {
            TracingComparison.run(javaTasks, probeCalls); // tracing off vs on, Java worker only
            return;
        }
        Path pythonDir = pythonModuleDir();
        // Interleaved, so that a change in the background load of the machine hits both sides alike.
        List<Config> configs = List.of(
                new Config("java OperatorRuntime", "concurrency 8", true, javaTasks, r -> javaWorker(r, 8, null)),
                new Config("python celery", "-P prefork -c 2", false, preforkTasks,
                        r -> celeryWorker(r, pythonDir, "prefork", 2)),
                new Config("java OperatorRuntime", "concurrency 32", true, javaTasks, r -> javaWorker(r, 32, null)),
                new Config("python celery", "-P prefork -c 8", false, preforkTasks,
                        r -> celeryWorker(r, pythonDir, "prefork", 8)),
                new Config("python celery", "-P threads -c 8", false, threadsTasks,
                        r -> celeryWorker(r, pythonDir, "threads", 8)),
                // Not the default: shows how much the in-flight window (prefetch = concurrency) limits a no-op run.
                new Config("java OperatorRuntime", "concurrency 32, prefetch 128", true, javaTasks,
                        r -> javaWorker(r, 32, 128)));
        List<Row> rows = new ArrayList<>();
        List<PressureScenario.Outcome> pressure = new ArrayList<>();
        try (BenchRedis redis = BenchRedis.start()) {
            OperatorSettings settings = OperatorSettings.builder().brokerUrl(redis.url()).environment(k -> null)
                    .defaultTimeout(Duration.ofMinutes(10)).build();
            // The client JVM is this JVM: with too short a warm-up C2 still compiles the client's send path during the
            // measured phase and its CPU counts as the client's (-Dbench.clientThreadCpu=true shows it per thread).
            warmClient(redis, settings, Integer.getInteger("bench.clientWarmTasks", javaTasks / 3));
            String only = System.getProperty("bench.only", ""); // e.g. "java" while profiling
            for (Config config : configs) {
                // A trailing '$' matches the end of the label only ("concurrency 32$": not the prefetch 128 row).
                boolean match = only.endsWith("$") ? config.label().endsWith(only.substring(0, only.length() - 1))
                        : config.label().contains(only);
                if (!match) {
                    continue;
                }
                rows.add(measure(redis, settings, config, probeCalls));
            }
            flush(redis);
            if (!Boolean.getBoolean("bench.skipPressure")) { // short A/B runs of the throughput rows only
                try (PressureScenario scenario = new PressureScenario(settings)) {
                    PressureScenario.modes().forEach(m -> warm(scenario, m));
                    for (PressureScenario.Mode mode : PressureScenario.modes()) {
                        pressure.add(scenario.measure(mode, 3));
                        System.err.printf(Locale.ROOT, "pressure %s: median %.3f s%n", mode.name(),
                                pressure.get(pressure.size() - 1).median());
                    }
                }
            }
        }
        System.out.println(table(rows));
        System.out.println(pressureTable(pressure));
    }

    private static void warm(PressureScenario scenario, PressureScenario.Mode mode) {
        try {
            scenario.measure(mode, 1);
        } catch (Exception e) {
            throw new IllegalStateException("warm-up of " + mode.name() + " failed", e);
        }
    }

    static Row measure(BenchRedis redis, OperatorSettings settings, Config config, int probeCalls)
            throws Exception {
        flush(redis);
        try (WorkerProcess worker = config.starter().start(redis);
             OperatorClient client = OperatorClient.create(OPERATOR, VERSION, settings)) {
            // Warm-up: the worker JVM's JIT (C2 is still busy after a few thousand tasks), Celery's pool processes,
            // connections; not measured.
            LoadClient.throughput(client, Math.max(200, config.tasks() / 4));
            LoadClient.probe(client, Math.min(50, probeCalls));
            LoadClient.Throughput throughput;
            CpuMeter.Usage cpu;
            try (Jedis admin = redis.jedis()) {
                admin.configResetStat(); // commandstats of the measured phase only
                RedisSyscalls.Snapshot syscallsBefore = RedisSyscalls.take(admin);
                boolean clientThreadCpu = Boolean.getBoolean("bench.clientThreadCpu");
                Map<String, Double> clientThreadsBefore = clientThreadCpu
                        ? ThreadGroupsCpu.byName(ProcessHandle.current()) : Map.of();
                java.time.Instant measuredFrom = java.time.Instant.now(); // to find the phase in a JFR recording
                CpuMeter.Snapshot before = CpuMeter.take(worker.handle(), admin);
                throughput = LoadClient.throughput(client, config.tasks());
                cpu = CpuMeter.between(before, CpuMeter.take(worker.handle(), admin));
                if (clientThreadCpu) {
                    System.err.println(config.label() + " client JVM CPU by thread (measured phase " + measuredFrom
                            + " .. " + java.time.Instant.now() + ", 10 ms ticks):\n"
                            + ThreadGroupsCpu.perTaskByName(clientThreadsBefore,
                                    ThreadGroupsCpu.byName(ProcessHandle.current()), throughput.tasks()));
                }
                RedisSyscalls.Snapshot syscallsAfter = RedisSyscalls.take(admin);
                if (Boolean.getBoolean("bench.commandStats")) {
                    System.err.println(config.label() + " Redis commands per task:\n"
                            + CommandStats.perTask(admin, throughput.tasks())
                            + RedisSyscalls.perTask(syscallsBefore, syscallsAfter, throughput.tasks()));
                }
            }
            LoadClient.Latency latency;
            try (Jedis admin = redis.jedis()) {
                // one call in flight: nothing to batch, so this shows the round trips each call costs Redis
                admin.configResetStat();
                RedisSyscalls.Snapshot syscallsBefore = RedisSyscalls.take(admin);
                long redisBefore = CpuMeter.redisCpuNanos(admin);
                latency = LoadClient.probe(client, probeCalls);
                long redisNanos = CpuMeter.redisCpuNanos(admin) - redisBefore;
                if (Boolean.getBoolean("bench.commandStats")) {
                    System.err.printf(Locale.ROOT, "%s sequential calls: Redis CPU %.1f µs/call%n%s%s%n", config.label(),
                            redisNanos / 1e3 / probeCalls,
                            RedisSyscalls.perTask(syscallsBefore, RedisSyscalls.take(admin), probeCalls),
                            CommandStats.perTask(admin, probeCalls));
                }
            }
            LoadClient.Throughput drain;
            try (Jedis jedis = redis.jedis()) {
                drain = LoadClient.drain(client, jedis, config.tasks());
            }
            System.err.printf(Locale.ROOT, "%s: %,d tasks in %.2f s = %,.0f tasks/s; p50 %.2f ms, p99 %.2f ms%n",
                    config.label(), throughput.tasks(), throughput.seconds(), throughput.perSecond(),
                    latency.p50Millis(), latency.p99Millis());
            System.err.printf(Locale.ROOT, "%s: drain %,.0f tasks/s%n", config.label(), drain.perSecond());
            if (Boolean.getBoolean("bench.threadCpu")) {
                System.err.println(config.label() + " worker threads CPU: " + worker.threadCpu());
            }
            return new Row(config, throughput, latency, drain, cpu);
        }
    }

    /** The client JVM's JIT and pools, once, against a throw-away Java worker: not measured. */
    static void warmClient(BenchRedis redis, OperatorSettings settings, int tasks) throws Exception {
        flush(redis);
        try (WorkerProcess worker = javaWorker(redis, 32, null);
             OperatorClient client = OperatorClient.create(OPERATOR, VERSION, settings);
             Jedis jedis = redis.jedis()) {
            LoadClient.throughput(client, tasks);
            LoadClient.drain(client, jedis, tasks);
            LoadClient.probe(client, 200);
        }
    }

    private static void flush(BenchRedis redis) {
        try (Jedis j = redis.jedis()) {
            j.flushAll();
        }
    }

    // ---- workers ---------------------------------------------------------------------------------------------

    private static WorkerProcess javaWorker(BenchRedis redis, int concurrency, Integer prefetch) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return WorkerProcess.start("java-c" + concurrency, javaCommand(java, concurrency, prefetch, redis),
                Map.of(), READY_WITHIN);
    }

    /** The Java worker with tracing on (OpenTelemetry SDK, spans to an exporter that drops them). */
    static WorkerProcess tracedJavaWorker(BenchRedis redis, int concurrency) throws Exception {
        return tracedJavaWorker(redis, concurrency, List.of());
    }

    /** The same with extra JVM arguments (e.g. a {@link BenchTracing} variant of a paired drain). */
    static WorkerProcess tracedJavaWorker(BenchRedis redis, int concurrency, List<String> jvmArgs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = javaCommand(java, concurrency, null, redis);
        command.add(1, "-Dbench.tracing=true");
        command.addAll(2, jvmArgs);
        return WorkerProcess.start("java-traced-c" + concurrency, command, Map.of(), READY_WITHIN);
    }

    static WorkerProcess plainJavaWorker(BenchRedis redis, int concurrency) throws Exception {
        return javaWorker(redis, concurrency, null);
    }

    static WorkerProcess plainJavaWorker(BenchRedis redis, int concurrency, List<String> jvmArgs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = javaCommand(java, concurrency, null, redis);
        command.addAll(1, jvmArgs);
        return WorkerProcess.start("java-c" + concurrency, command, Map.of(), READY_WITHIN);
    }

    private static List<String> javaCommand(String java, int concurrency, Integer prefetch, BenchRedis redis)
            throws URISyntaxException {
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
        String extra = System.getProperty("bench.workerJvmArgs", "").trim(); // e.g. a JFR recording while profiling
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.replace("{c}", Integer.toString(concurrency)).split("\\s+")));
        }
        command.addAll(List.of("-cp", classPath(), JavaWorkerMain.class.getName(), redis.url(), OPERATOR, VERSION,
                Integer.toString(concurrency)));
        if (prefetch != null) {
            command.add(prefetch.toString());
        }
        return command;
    }

    static WorkerProcess celeryWorker(BenchRedis redis, Path moduleDir, String pool, int concurrency)
            throws Exception {
        return celeryWorker(redis, moduleDir, pool, concurrency, true);
    }

    /** {@code quiet}: without gossip, mingle and heartbeat (the throughput runs); else Celery's defaults. */
    static WorkerProcess celeryWorker(BenchRedis redis, Path moduleDir, String pool, int concurrency, boolean quiet)
            throws Exception {
        return celeryWorker(redis, moduleDir, pool, concurrency, quiet, "bench-" + pool + "-" + concurrency, Map.of());
    }

    /** {@code node}: the Celery node name (unique per worker of a fleet); {@code extraEnv}: e.g. result tagging. */
    static WorkerProcess celeryWorker(BenchRedis redis, Path moduleDir, String pool, int concurrency, boolean quiet,
                                      String node, Map<String, String> extraEnv) throws Exception {
        String queues = String.join(",", List.of("high", "normal", "low", "very_low").stream()
                .map(p -> p + "." + OPERATOR + "." + VERSION).toList());
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-m", "celery", "-A", "bench_worker",
                "worker", "-P", pool, "-c", Integer.toString(concurrency), "-Q", queues, "-l", "WARNING",
                "-n", node + "@%h"));
        if (quiet) {
            command.addAll(List.of("--without-gossip", "--without-mingle", "--without-heartbeat"));
        }
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.putAll(Map.of("PYTHONPATH", moduleDir.toString(), "SANDAI_BENCH_REDIS_URL", redis.url(),
                "SANDAI_BENCH_OPERATOR", OPERATOR, "SANDAI_BENCH_VERSION", VERSION));
        return WorkerProcess.start("celery-" + node, command, env, READY_WITHIN);
    }

    /** The Celery app module, copied out of the jar so that PYTHONPATH can point at it. */
    static Path pythonModuleDir() throws IOException {
        Path dir = Files.createTempDirectory("sandai-bench-python");
        try (InputStream in = WorkerBenchmark.class.getResourceAsStream("/python/bench_worker.py")) {
            if (in == null) {
                throw new IllegalStateException("missing resource /python/bench_worker.py");
            }
            Files.write(dir.resolve("bench_worker.py"), in.readAllBytes());
        }
        return dir;
    }

    /** Our class path: exec:java runs us in a class loader of its own, so java.class.path is Maven's. */
    static String classPath() throws URISyntaxException {
        if (WorkerBenchmark.class.getClassLoader() instanceof URLClassLoader loader && loader.getURLs().length > 0) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                entries.add(Path.of(url.toURI()).toString());
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    // ---- tables ----------------------------------------------------------------------------------------------

    static String table(List<Row> rows) {
        // With -Dbench.only=java there is no Python row: ratios are then left out.
        Row bestPython = rows.stream().filter(r -> !r.config().java())
                .max(Comparator.comparingDouble(r -> r.throughput().perSecond())).orElse(null);
        StringBuilder out = new StringBuilder();
        out.append("| worker | pool | tasks | seconds | tasks/s | × best Python | p50 ms | p99 ms | drain tasks/s "
                   + "| CPU µs/task worker / redis / client |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            String ratio = bestPython == null ? "n/a" : String.format(Locale.ROOT, "%.1f×",
                    r.throughput().perSecond() / bestPython.throughput().perSecond());
            out.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.2f | %,.0f | %s | %.2f | %.2f | %,.0f | %s |%n",
                    r.config().worker(), r.config().pool(), r.throughput().tasks(), r.throughput().seconds(),
                    r.throughput().perSecond(), ratio, r.latency().p50Millis(), r.latency().p99Millis(),
                    r.drain().perSecond(), r.cpuPerTask()));
        }
        if (bestPython == null) {
            return out.toString();
        }
        out.append(String.format(Locale.ROOT, "%nBest Python pool in this run: %s (%,.0f tasks/s, p50 %.2f ms).%n",
                bestPython.config().label(), bestPython.throughput().perSecond(), bestPython.latency().p50Millis()));
        for (Row r : rows) {
            if (r.config().java()) {
                out.append(String.format(Locale.ROOT,
                        "- %s: throughput %.1f× the best Python pool; p50 latency %.2f× and p99 %.2f× of its (lower is "
                        + "better)%n", r.config().label(),
                        r.throughput().perSecond() / bestPython.throughput().perSecond(),
                        r.latency().p50Millis() / bestPython.latency().p50Millis(),
                        r.latency().p99Millis() / bestPython.latency().p99Millis()));
            }
        }
        return out.toString();
    }

    static String pressureTable(List<PressureScenario.Outcome> outcomes) {
        StringBuilder out = new StringBuilder();
        out.append("| client mode (240 requests, Java worker c=32, 150 ms) | median of 3 (s) | best (s) | floor (s) "
                   + "| median / floor |\n|---|---|---|---|---|\n");
        for (PressureScenario.Outcome o : outcomes) {
            out.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.2f× |%n", o.mode().name(), o.median(),
                    o.best(), o.mode().floorSeconds(), o.median() / o.mode().floorSeconds()));
        }
        return out.toString();
    }
}
