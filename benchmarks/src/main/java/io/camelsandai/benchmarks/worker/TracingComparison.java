package io.camelsandai.benchmarks.worker;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.camelsandai.benchmarks.BenchRedis;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.tracing.SandaiTracing;
import io.opentelemetry.sdk.OpenTelemetrySdk;

/**
 * {@code -Dbench.tracing=compare}: the Java worker (concurrency 8) with tracing off and on, interleaved (off, on, off,
 * on by default, see {@link #order()}) so that a change in the machine's background load hits both alike. "On" means
 * the worker and this client both trace (the SDK with a dropping exporter): the client writes {@code traceparent},
 * the worker extracts it and runs each task in a CONSUMER span. After each row, a {@link PreFilledDrain} with a fresh
 * worker of the same kind measures the worker alone ({@code -Dbench.skipPreFilled} leaves it out,
 * {@code -Dbench.preFilledOnly} leaves out all else). {@code -Dbench.tracingPaired=true} runs
 * {@link PreFilledDrain#paired} instead: both workers at once, {@code -Dbench.rounds} rounds (default 4), the sides
 * chosen by {@code -Dbench.pairedSides} (see {@link #pairedSide}). {@code -Dbench.tracingToggle=<n>} runs
 * {@link PreFilledDrain#toggled}: one worker switching its own tracing every {@code n} tasks.
 */
final class TracingComparison {
    private TracingComparison() {
    }

    static void run(int tasks, int probeCalls) throws Exception {
        long toggleEvery = Long.getLong("bench.tracingToggle", 0);
        if (toggleEvery > 0) {
            OpenTelemetrySdk sdk = BenchTracing.sdk(true);
            try {
                PreFilledDrain.toggled(Duration.ofMinutes(10), tasks, Integer.getInteger("bench.rounds", 4),
                        toggleEvery, () -> SandaiTracing.setGlobal(SandaiTracing.openTelemetry(sdk)));
            } finally {
                sdk.close();
            }
            return;
        }
        if (Boolean.getBoolean("bench.tracingPaired")) {
            OpenTelemetrySdk sdk = BenchTracing.sdk(true);
            try {
                List<String> sides = List.of(System.getProperty("bench.pairedSides", "off/untraced,on/traced")
                        .split(","));
                if (sides.size() != 2) {
                    throw new IllegalArgumentException("bench.pairedSides: two sides, e.g. off/untraced,on/traced");
                }
                PreFilledDrain.paired(Duration.ofMinutes(10), tasks, Integer.getInteger("bench.rounds", 4),
                        pairedSide(sides.get(0), System.getProperty("bench.pairedJvmArgsA", ""), sdk),
                        pairedSide(sides.get(1), System.getProperty("bench.pairedJvmArgsB", ""), sdk));
            } finally {
                sdk.close();
            }
            return;
        }
        List<WorkerBenchmark.Row> rows = new ArrayList<>();
        List<String> preFilled = new ArrayList<>();
        OpenTelemetrySdk clientSdk = null;
        try (BenchRedis redis = BenchRedis.start()) {
            OperatorSettings settings = OperatorSettings.builder().brokerUrl(redis.url()).environment(k -> null)
                    .defaultTimeout(Duration.ofMinutes(10)).build();
            WorkerBenchmark.warmClient(redis, settings, tasks / 3);
            for (String step : order()) {
                boolean on = "on".equals(step);
                if (!on) {
                    SandaiTracing.setGlobal(SandaiTracing.NOOP);
                } else if (clientSdk == null) {
                    clientSdk = BenchTracing.install();
                } else {
                    SandaiTracing.setGlobal(SandaiTracing.openTelemetry(clientSdk));
                }
                WorkerBenchmark.Config config = on
                        ? new WorkerBenchmark.Config("java OperatorRuntime", "concurrency 8, tracing on (SDK)", true,
                                tasks, r -> WorkerBenchmark.tracedJavaWorker(r, 8))
                        : new WorkerBenchmark.Config("java OperatorRuntime", "concurrency 8, tracing off", true, tasks,
                                r -> WorkerBenchmark.plainJavaWorker(r, 8));
                if (!Boolean.getBoolean("bench.preFilledOnly")) {
                    rows.add(WorkerBenchmark.measure(redis, settings, config, probeCalls));
                }
                if (!Boolean.getBoolean("bench.skipPreFilled")) {
                    PreFilledDrain.Result drain = PreFilledDrain.measure(redis, settings, config.starter(), tasks);
                    System.err.println(config.label() + ": pre-filled drain " + drain + "; worker threads CPU: "
                                       + drain.threadCpu());
                    preFilled.add(String.format(Locale.ROOT, "| %s | %,.0f | %.0f / %.0f | %.1f |", step,
                            drain.perSecond(), drain.workerMicrosPerTask(), drain.redisMicrosPerTask(),
                            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
                }
            }
        } finally {
            if (clientSdk != null) {
                clientSdk.close();
            }
        }
        if (!rows.isEmpty()) {
            System.out.println(WorkerBenchmark.table(rows));
        }
        if (!preFilled.isEmpty()) {
            System.out.println("| tracing | pre-filled drain tasks/s | CPU µs/task worker / redis | load average |");
            System.out.println("|---|---|---|---|");
            preFilled.forEach(System.out::println);
        }
    }

    /**
     * {@code -Dbench.pairedSides}: {@code <worker>/<messages>} per side, the worker {@code off} (untraced) or
     * {@code on} (traced), the messages {@code untraced} or {@code traced} (the client writes {@code traceparent}),
     * so that "the message carries a context" and "the worker traces" can be measured apart; the default
     * {@code off/untraced,on/traced} is the comparison of issue 14. {@code jvmArgs}: extra worker JVM arguments of the
     * side ({@code -Dbench.pairedJvmArgsA} / {@code B}, space-separated), e.g. a {@link BenchTracing} variant.
     */
    private static PreFilledDrain.PairedSide pairedSide(String spec, String jvmArgs, OpenTelemetrySdk sdk) {
        String[] parts = spec.trim().split("/");
        if (parts.length != 2 || !List.of("off", "on").contains(parts[0])
            || !List.of("untraced", "traced").contains(parts[1])) {
            throw new IllegalArgumentException("bench.pairedSides: <off|on>/<untraced|traced>, not " + spec);
        }
        boolean tracedWorker = parts[0].equals("on");
        List<String> extra = jvmArgs.isBlank() ? List.of() : List.of(jvmArgs.trim().split("\\s+"));
        Runnable clientTracing = parts[1].equals("traced")
                ? () -> SandaiTracing.setGlobal(SandaiTracing.openTelemetry(sdk))
                : () -> SandaiTracing.setGlobal(SandaiTracing.NOOP);
        String label = (tracedWorker ? "traced" : "untraced") + " worker, " + parts[1] + " messages"
                       + (extra.isEmpty() ? "" : " " + extra);
        return new PreFilledDrain.PairedSide(label, r -> tracedWorker
                ? WorkerBenchmark.tracedJavaWorker(r, 8, extra) : WorkerBenchmark.plainJavaWorker(r, 8, extra),
                clientTracing);
    }

    /**
     * {@code -Dbench.tracingOrder}: the rows, e.g. {@code off,on,on,off} (the default {@code off,on,off,on}); an
     * ABBA order shows whether a row's position, not its tracing, makes the difference.
     */
    private static List<String> order() {
        List<String> order = List.of(System.getProperty("bench.tracingOrder", "off,on,off,on").split(","));
        if (order.isEmpty() || !order.stream().allMatch(s -> s.equals("on") || s.equals("off"))) {
            throw new IllegalArgumentException("bench.tracingOrder: a comma-separated list of on/off: " + order);
        }
        return order;
    }
}
