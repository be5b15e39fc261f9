package io.camelsandai.benchmarks.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.camelsandai.benchmarks.BenchRedis;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.tracing.SandaiTracing;
import io.opentelemetry.sdk.OpenTelemetrySdk;

/**
 * {@code -Dbench.tracing=compare}: the Java worker (concurrency 8) with tracing off and on, interleaved twice so that
 * a change in the machine's background load hits both alike. "On" means the worker and this client both trace (the
 * SDK with a dropping exporter): the client writes {@code traceparent}, the worker extracts it and runs each task
 * in a CONSUMER span.
 */
final class TracingComparison {
    private TracingComparison() {
    }

    static void run(int tasks, int probeCalls) throws Exception {
        List<WorkerBenchmark.Row> rows = new ArrayList<>();
        OpenTelemetrySdk clientSdk = null;
        try (BenchRedis redis = BenchRedis.start()) {
            OperatorSettings settings = OperatorSettings.builder().brokerUrl(redis.url()).environment(k -> null)
                    .defaultTimeout(Duration.ofMinutes(10)).build();
            WorkerBenchmark.warmClient(redis, settings, tasks / 3);
            for (int round = 0; round < 2; round++) {
                SandaiTracing.setGlobal(SandaiTracing.NOOP);
                rows.add(WorkerBenchmark.measure(redis, settings, new WorkerBenchmark.Config("java OperatorRuntime",
                        "concurrency 8, tracing off", true, tasks, r -> WorkerBenchmark.plainJavaWorker(r, 8)),
                        probeCalls));
                if (clientSdk == null) {
                    clientSdk = BenchTracing.install();
                } else {
                    SandaiTracing.setGlobal(SandaiTracing.openTelemetry(clientSdk));
                }
                rows.add(WorkerBenchmark.measure(redis, settings, new WorkerBenchmark.Config("java OperatorRuntime",
                        "concurrency 8, tracing on (SDK)", true, tasks, r -> WorkerBenchmark.tracedJavaWorker(r, 8)),
                        probeCalls));
            }
        } finally {
            if (clientSdk != null) {
                clientSdk.close();
            }
        }
        System.out.println(WorkerBenchmark.table(rows));
    }
}
