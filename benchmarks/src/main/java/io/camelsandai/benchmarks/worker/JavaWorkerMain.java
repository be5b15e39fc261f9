package io.camelsandai.benchmarks.worker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.operator.OperatorHandler;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.operator.OperatorRuntimeSettings;
import io.camelsandai.tracing.SandaiTracing;

/**
 * The Java worker under test, alone in its own JVM as the Celery worker is in its own processes:
 * {@code <redis url> <operator> <version> <concurrency> [prefetch]}. Its handler answers success at once, so what is measured
 * is the runtime (take, decode, result + ack), not the work. Prints {@link WorkerProcess#READY_LINE} once taking.
 */
public final class JavaWorkerMain {
    private JavaWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 4 || args.length > 5) {
            System.err.println("usage: JavaWorkerMain <redis url> <operator> <version> <concurrency> [prefetch]");
            System.exit(2);
        }
        OperatorRuntimeSettings settings = OperatorRuntimeSettings.builder(args[1], args[2])
                .connection(OperatorSettings.builder().brokerUrl(args[0]).environment(k -> null).build())
                .concurrency(Integer.parseInt(args[3]))
                .prefetch(args.length == 5 ? Integer.valueOf(args[4]) : null) // null: the default, = concurrency
                .build();
        CompletableFuture<OperatorResult> noOp = CompletableFuture.completedFuture(
                OperatorResult.success(List.of(), Map.of()));
        OperatorHandler handler = task -> noOp;
        long toggleEvery = Long.getLong("bench.tracingToggle", 0);
        if (toggleEvery > 0) {
            handler = new TracingToggle(handler, SandaiTracing.openTelemetry(BenchTracing.install()), toggleEvery);
        } else if (Boolean.getBoolean("bench.tracing")) {
            BenchTracing.install();
        } else {
            // as without OpenTelemetry on the classpath (the benchmark's classpath has the SDK)
            SandaiTracing.setGlobal(SandaiTracing.NOOP);
        }
        OperatorRuntime runtime = new OperatorRuntime(settings, handler);
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "bench-worker-close"));
        runtime.start();
        System.out.println(WorkerProcess.READY_LINE);
        System.out.flush();
        Thread.currentThread().join(); // until SIGTERM
    }
}
