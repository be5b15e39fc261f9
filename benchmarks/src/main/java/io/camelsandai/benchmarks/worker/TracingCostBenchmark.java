package io.camelsandai.benchmarks.worker;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import io.camelsandai.tracing.RunSpan;
import io.camelsandai.tracing.SandaiTracing;
import io.camelsandai.tracing.SendSpan;
import io.camelsandai.tracing.SpanInfo;
import io.camelsandai.tracing.TracingScope;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;

/**
 * What one task's tracing costs the worker, without Redis: the per-task calls the operator runtime makes
 * ({@code SandaiTracing.run}, {@code enter}/{@code close}, {@code end}) against bare OpenTelemetry SDK spans that
 * involve nothing of ours, so that our share and the SDK's share of the drain's extra CPU can be told apart.
 * <p>
 * Each case runs on {@code -Dbench.threads} threads (default 8, the benchmark worker's concurrency) for
 * {@code -Dbench.ops} operations after as many for warm-up, in {@code -Dbench.rounds} interleaved rounds; it prints
 * the process CPU per operation (all threads, including the SDK's batch exporter thread and GC), which is what the
 * worker benchmark's "CPU µs/task worker" column measures, and the wall time per operation.
 */
public final class TracingCostBenchmark {
    private static final TextMapGetter<Map<String, ?>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, ?> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, ?> carrier, String key) {
            return carrier != null && carrier.get(key) instanceof String s ? s : null;
        }
    };

    private TracingCostBenchmark() {
    }

    private record Case(String name, Runnable perTask) {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.getInteger("bench.threads", 8);
        int ops = Integer.getInteger("bench.ops", 400_000);
        int rounds = Integer.getInteger("bench.rounds", 3);

        OpenTelemetrySdk batched = BenchTracing.sdk(true); // as in the worker benchmark: batch processor, dropped
        OpenTelemetrySdk unprocessed = BenchTracing.sdk(false); // spans recorded, no processor: no batching/export
        SandaiTracing ours = SandaiTracing.openTelemetry(batched);
        SandaiTracing oursUnprocessed = SandaiTracing.openTelemetry(unprocessed);
        Map<String, Object> headers = celeryHeaders(ours);
        SpanInfo info = new SpanInfo("bench.noop", "c0ffee00-0000-4000-8000-000000000001", "normal.bench.1.0.0",
                "bench", "1.0.0", "normal");
        Tracer tracer = batched.getTracer("bench");

        List<Case> cases = List.of(
                new Case("tracing off (SandaiTracing.NOOP)", () -> runOurs(SandaiTracing.NOOP, info, headers)),
                new Case("SDK span only: start + end, no parent, no attributes", () ->
                        tracer.spanBuilder("run/bench.noop").setSpanKind(SpanKind.CONSUMER).startSpan().end()),
                new Case("SDK span + W3C extract of the parent + scope", () -> bareWithParent(batched, tracer, headers)),
                new Case("same + the 10 attributes of our run span, by hand",
                        () -> bareWithAttributes(batched, tracer, headers, info)),
                new Case("ours: run + enter/close + end (SDK, batch processor)", () -> runOurs(ours, info, headers)),
                new Case("ours: run + enter/close + end (SDK, no span processor)",
                        () -> runOurs(oursUnprocessed, info, headers)),
                new Case("client side, ours: send + headers + end (SDK, batch processor)", () -> {
                    SendSpan send = ours.send(info);
                    if (send.headers().isEmpty()) {
                        throw new IllegalStateException("no propagation headers");
                    }
                    send.end(null);
                }));

        long[][] cpu = new long[cases.size()][rounds];
        long[][] wall = new long[cases.size()][rounds];
        for (Case c : cases) {
            measure(c.perTask(), threads, ops); // warm-up
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < cases.size(); i++) {
                long[] m = measure(cases.get(i).perTask(), threads, ops);
                cpu[i][round] = m[0];
                wall[i][round] = m[1];
            }
        }
        System.out.printf(Locale.ROOT, "%d threads, %,d operations per case and round, %d rounds, load average %.2f%n",
                threads, ops, rounds, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| case | CPU µs/op (rounds) | wall µs/op (rounds) |");
        System.out.println("|---|---|---|");
        for (int i = 0; i < cases.size(); i++) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s |%n", cases.get(i).name(), perOp(cpu[i], ops),
                    perOp(wall[i], ops));
        }
        batched.close();
        unprocessed.close();
    }

    /** What {@code RuntimeTracing} does around a handler that completes at once. */
    private static void runOurs(SandaiTracing tracing, SpanInfo info, Map<String, Object> headers) {
        if (!tracing.enabled()) {
            return;
        }
        RunSpan span = tracing.run(info, headers);
        try (TracingScope scope = span.enter()) {
            // the handler
        }
        span.end("success", null);
    }

    private static void bareWithParent(OpenTelemetrySdk sdk, Tracer tracer, Map<String, Object> headers) {
        Context parent = sdk.getPropagators().getTextMapPropagator().extract(Context.current(), headers, GETTER);
        Span span = tracer.spanBuilder("run/bench.noop").setSpanKind(SpanKind.CONSUMER).setParent(parent)
                .startSpan();
        try (Scope scope = parent.with(span).makeCurrent()) {
            // the handler
        }
        span.end();
    }

    private static void bareWithAttributes(OpenTelemetrySdk sdk, Tracer tracer, Map<String, Object> headers,
                                           SpanInfo info) {
        Context parent = sdk.getPropagators().getTextMapPropagator().extract(Context.current(), headers, GETTER);
        Span span = tracer.spanBuilder("run/bench.noop").setSpanKind(SpanKind.CONSUMER).setParent(parent)
                .setAttribute("messaging.system", "celery")
                .setAttribute("messaging.operation.name", "run")
                .setAttribute("celery.action", "run")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("celery.task_name", info.taskName())
                .setAttribute("messaging.message.id", info.taskId())
                .setAttribute("messaging.destination.name", info.queue())
                .setAttribute("sandai.operator.name", info.operatorName())
                .setAttribute("sandai.operator.version", info.operatorVersion())
                .setAttribute("sandai.priority", info.priority())
                .startSpan();
        try (Scope scope = parent.with(span).makeCurrent()) {
            // the handler
        }
        span.setAttribute("sandai.task.status", "success");
        span.end();
    }

    /** A decoded protocol-v2 message's headers, with the {@code traceparent} a tracing client writes. */
    private static Map<String, Object> celeryHeaders(SandaiTracing tracing) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("lang", "py");
        headers.put("task", "bench.noop");
        headers.put("id", "c0ffee00-0000-4000-8000-000000000001");
        headers.put("shadow", null);
        headers.put("eta", null);
        headers.put("expires", null);
        headers.put("group", null);
        headers.put("group_index", null);
        headers.put("retries", 0);
        headers.put("timelimit", List.of());
        headers.put("root_id", "c0ffee00-0000-4000-8000-000000000001");
        headers.put("parent_id", null);
        headers.put("argsrepr", "()");
        headers.put("kwargsrepr", "{}");
        headers.put("origin", "gen1@bench");
        headers.put("ignore_result", false);
        SendSpan send = tracing.send(new SpanInfo("bench.noop", null, null, null, null, null));
        headers.putAll(send.headers());
        send.end(null);
        if (!(headers.get("traceparent") instanceof String)) {
            throw new IllegalStateException("the send span wrote no traceparent");
        }
        return headers;
    }

    /** {process CPU ns, wall ns} of {@code ops} calls spread over {@code threads} threads. */
    private static long[] measure(Runnable perTask, int threads, int ops) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        AtomicLong failures = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int share = ops / threads;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < share; i++) {
                        perTask.run();
                    }
                } catch (RuntimeException | InterruptedException e) {
                    failures.incrementAndGet();
                } finally {
                    done.countDown();
                }
            }, "bench-task-" + t);
            worker.start();
            workers.add(worker);
        }
        long cpuBefore = processCpuNanos();
        long wallBefore = System.nanoTime();
        start.countDown();
        done.await();
        long wall = System.nanoTime() - wallBefore;
        long cpu = processCpuNanos() - cpuBefore;
        for (Thread worker : workers) {
            worker.join();
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " benchmark threads failed");
        }
        return new long[] {cpu, wall};
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String perOp(long[] nanos, int ops) {
        List<String> out = new ArrayList<>();
        for (long n : nanos) {
            out.add(String.format(Locale.ROOT, "%.2f", n / 1e3 / ops));
        }
        return String.join(" / ", out);
    }
}
