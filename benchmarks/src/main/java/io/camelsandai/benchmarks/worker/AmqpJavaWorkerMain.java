package io.camelsandai.benchmarks.worker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.operator.OperatorRuntimeSettings;

/**
 * The no-op Java worker of {@link AmqpWorkerBenchmark} alone in its own JVM ({@code javaproc-*} configs), so that its
 * CPU is measured apart from the benchmark client's, as a Celery worker's is: {@code <amqp url> <concurrency>
 * <prefetch>}; results by {@code rpc://}. Prints {@link WorkerProcess#READY_LINE} once consuming.
 */
public final class AmqpJavaWorkerMain {
    private AmqpJavaWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: AmqpJavaWorkerMain <amqp url> <concurrency> <prefetch>");
            System.exit(2);
        }
        // the broker and rpc:// named on the runtime settings (not only in the connection settings), so that the
        // same main also runs on main's classes in before/after comparisons
        OperatorRuntime runtime = new OperatorRuntime(OperatorRuntimeSettings
                .builder(AmqpWorkerBenchmark.OPERATOR, AmqpWorkerBenchmark.VERSION)
                .connection(OperatorSettings.builder().environment(k -> null).build())
                .amqpBrokerUrl(args[0]).rpcResults(true).remoteControl(false)
                .concurrency(Integer.parseInt(args[1])).prefetch(Integer.parseInt(args[2])).build(),
                task -> CompletableFuture.completedFuture(OperatorResult.success(List.of(), Map.of())));
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "bench-worker-close"));
        runtime.start();
        System.out.println(WorkerProcess.READY_LINE);
        System.out.flush();
        Thread.currentThread().join(); // until SIGTERM
    }
}
