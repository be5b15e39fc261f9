package io.camelsandai.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.OperatorRequest;
import redis.clients.jedis.Jedis;

/**
 * The seed's pressure scenario (240 requests; an operator with 32 slots and a 150 ms delay) for each client mode,
 * next to the stock Python Celery client in the same run, plus fire-and-forget submission against Python's
 * {@code send_task} loop. Prints a Markdown table.
 *
 * <pre>mvn -q -pl benchmarks -am package -DskipTests &amp;&amp; mvn -q -pl benchmarks exec:java -Dexec.mainClass=io.camelsandai.benchmarks.PressureBenchmark</pre>
 */
public final class PressureBenchmark {
    static final int REQUESTS = 240;
    static final int OPERATOR_SLOTS = 32;
    static final long DELAY_MILLIS = 150;
    static final String OPERATOR = "bench-op";
    static final String VERSION = "v1";

    record Row(String mode, double seconds, double floorSeconds, int backendPeak, int backendAtSettle) {
    }

    public static void main(String[] args) throws Exception {
        int fireAndForget = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        List<Row> rows = new ArrayList<>();
        String fireRow;
        try (BenchRedis redis = BenchRedis.start();
             QueueResponder responder = new QueueResponder(redis, OPERATOR, VERSION, OPERATOR_SLOTS, DELAY_MILLIS)) {
            OperatorSettings settings = OperatorSettings.builder().brokerUrl(redis.url())
                    .defaultTimeout(Duration.ofSeconds(120)).build();
            warmUp(settings);
            double syncFloor = REQUESTS / 24.0 * DELAY_MILLIS / 1000;
            double asyncFloor = REQUESTS / (double) OPERATOR_SLOTS * DELAY_MILLIS / 1000;
            for (PressureClientModes.NamedMode mode : PressureClientModes.all()) {
                rows.add(measure(redis, "java " + mode.name(), mode.async() ? asyncFloor : syncFloor,
                        () -> mode.mode().run(settings, OPERATOR, VERSION)));
            }
            rows.add(measure(redis, "python celery (24 threads, AsyncResult.get)", syncFloor,
                    () -> python(redis, "pressure", "24")));
            rows.add(measure(redis, "python celery (96 threads, AsyncResult.get)", asyncFloor,
                    () -> python(redis, "pressure", "96")));
            fireRow = fireAndForget(redis, settings, fireAndForget);
        }
        printTable(rows, fireRow);
    }

    private static void warmUp(OperatorSettings settings) {
        try (OperatorClient client = OperatorClient.create(OPERATOR, VERSION, settings)) {
            List<CompletableFuture<?>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                calls.add(client.callAsync(request(i), CallOptions.DEFAULTS, null));
            }
            calls.forEach(CompletableFuture::join);
        }
    }

    private static OperatorRequest request(int i) {
        return PressureClientModes.request(i);
    }

    interface Scenario {
        void run() throws Exception;
    }

    private static Row measure(BenchRedis redis, String mode, double floor, Scenario scenario) throws Exception {
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger peak = new AtomicInteger();
        // redis-py connections carry no name, so only ours are counted; Python rows show n/a.
        String prefix = "sandai-backend";
        Thread sampler = new Thread(() -> {
            try (Jedis admin = redis.jedis()) {
                while (sampling.get()) {
                    peak.accumulateAndGet(redis.connectionsNamed(admin, prefix), Math::max);
                }
            }
        });
        sampler.start();
        long start = System.nanoTime();
        scenario.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        sampling.set(false);
        sampler.join();
        int settle;
        try (Jedis admin = redis.jedis()) {
            settle = redis.connectionsNamed(admin, prefix);
        }
        return new Row(mode, seconds, floor, peak.get(), settle);
    }

    private static void python(BenchRedis redis, String mode, String arg) throws Exception {
        pythonOutput(redis, mode, arg);
    }

    /** Runs the stock-Celery client script; returns its standard output (its own timings). */
    private static String pythonOutput(BenchRedis redis, String mode, String arg) throws Exception {
        Path script = Files.createTempFile("sandai-bench", ".py");
        try (var in = PressureBenchmark.class.getResourceAsStream("/python/bench_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), redis.url(), mode, arg,
                String.valueOf(REQUESTS), OPERATOR, VERSION).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("python benchmark client failed: exit " + p.exitValue());
        }
        return out;
    }

    private static String fireAndForget(BenchRedis redis, OperatorSettings settings, int tasks) throws Exception {
        String queue = "low.fire-op.v1";
        double javaRate;
        try (OperatorClient client = OperatorClient.create("fire-op", "v1", settings)) {
            client.submit(request(-1), CallOptions.priority(io.camelsandai.model.Priority.LOW)); // connect
            // Untimed warm-up on another operator's queue, so the JIT has compiled the encode/send path: the measured
            // run is steady state, as Python's interpreter is from its first send.
            try (OperatorClient warm = OperatorClient.create("fire-warmup", "v1", settings)) {
                List<CompletableFuture<?>> sends = new ArrayList<>();
                for (int i = 0; i < 30_000; i++) {
                    sends.add(warm.submitAsync(request(i), CallOptions.DEFAULTS));
                }
                sends.forEach(CompletableFuture::join);
            }
            try (Jedis admin = redis.jedis()) {
                admin.del("normal.fire-warmup.v1");
            }
            long start = System.nanoTime();
            List<CompletableFuture<?>> sends = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                sends.add(client.submitAsync(request(i), CallOptions.priority(io.camelsandai.model.Priority.LOW)));
            }
            sends.forEach(CompletableFuture::join);
            javaRate = tasks / ((System.nanoTime() - start) / 1e9);
        }
        int pythonTasks = Math.max(1000, tasks / 10);
        String out = pythonOutput(redis, "fire", String.valueOf(pythonTasks));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("FIRE_SECONDS ([0-9.]+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("python fire-and-forget printed no timing: " + out);
        }
        double pythonRate = pythonTasks / Double.parseDouble(m.group(1));
        try (Jedis admin = redis.jedis()) {
            long queued = admin.llen(queue);
            if (queued != tasks + 2 + pythonTasks) {
                throw new IllegalStateException("expected " + (tasks + 2 + pythonTasks) + " queued, found " + queued);
            }
        }
        return String.format(Locale.ROOT,
                "| fire-and-forget submit | java %,d tasks: %,.0f tasks/s | python send_task %,d tasks: %,.0f tasks/s "
                + "(send loop only) | **%.1f×** |", tasks, javaRate, pythonTasks, pythonRate, javaRate / pythonRate);
    }

    private static void printTable(List<Row> rows, String fireRow) {
        StringBuilder out = new StringBuilder();
        out.append("| mode | wall time (s) | floor (s) | time / floor | backend conns peak | backend conns at settle |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            boolean python = r.mode().startsWith("python");
            out.append(String.format(Locale.ROOT, "| %s | %.2f | %.3f | %.2f× | %s | %s |%n", r.mode(), r.seconds(),
                    r.floorSeconds(), r.seconds() / r.floorSeconds(), python ? "n/a" : r.backendPeak(),
                    python ? "n/a" : r.backendAtSettle()));
        }
        Row py24 = rows.stream().filter(r -> r.mode().contains("24 threads, Async")).findFirst().orElseThrow();
        Row py96 = rows.stream().filter(r -> r.mode().contains("96 threads")).findFirst().orElseThrow();
        out.append("\nRatios against stock Python Celery in this run (Python time / Java time):\n\n");
        for (Row r : rows) {
            if (r.mode().startsWith("java")) {
                Row py = r.mode().startsWith("java sync") ? py24 : py96;
                out.append(String.format(Locale.ROOT, "- %s: %.1f× faster than %s%n", r.mode(), py.seconds() / r.seconds(),
                        py.mode()));
            }
        }
        out.append("\n| fire and forget | Java | Python | ratio |\n|---|---|---|---|\n").append(fireRow).append('\n');
        System.out.println(out);
    }
}
