package io.camelsandai.benchmarks.worker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.operator.OperatorRuntimeSettings;
import io.camelsandai.tracing.SandaiTracing;

/**
 * The Java worker of {@link FleetBenchmark} and {@link LargeBodyBenchmark}: like {@link JavaWorkerMain}, but each
 * result names the worker and the instant its handler started ({@code results = {w: <name>, t: <epoch ms>}}), so
 * that the benchmark can tell which worker ran a task and when, the same way the tagged Celery task does
 * ({@code SANDAI_BENCH_WORKER_NAME} in {@code bench_worker.py}).
 * {@code <redis url> <operator> <version> <concurrency> <worker name> [maxMessageBytes]}.
 */
public final class TaggedJavaWorkerMain {
    private TaggedJavaWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 5 || args.length > 6) {
            System.err.println("usage: TaggedJavaWorkerMain <redis url> <operator> <version> <concurrency> <name> "
                               + "[maxMessageBytes]");
            System.exit(2);
        }
        OperatorRuntimeSettings.Builder builder = OperatorRuntimeSettings.builder(args[1], args[2])
                .connection(OperatorSettings.builder().brokerUrl(args[0]).environment(k -> null).build())
                .concurrency(Integer.parseInt(args[3]));
        if (args.length == 6) {
            builder.maxMessageBytes(Integer.parseInt(args[5]));
        }
        String name = args[4];
        SandaiTracing.setGlobal(SandaiTracing.NOOP); // as without OpenTelemetry on the classpath
        OperatorRuntime runtime = new OperatorRuntime(builder.build(), task -> CompletableFuture.completedFuture(
                OperatorResult.success(List.of(), Map.of("w", name, "t", System.currentTimeMillis()))));
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "bench-worker-close"));
        runtime.start();
        System.out.println(WorkerProcess.READY_LINE);
        System.out.flush();
        Thread.currentThread().join(); // until SIGTERM
    }
}
