package io.camelsandai.benchmarks.worker;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.benchmarks.BenchRedis;
import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.client.TaskHandle;
import io.camelsandai.model.Priority;
import redis.clients.jedis.Jedis;

/**
 * The worker alone on a full queue: the tasks are sent into Redis database 1, where no worker listens, then the
 * whole list is {@code MOVE}d into database 0 at once, so the clock and the CPU meter see the worker draining and
 * nothing of the client's sending (unlike {@link LoadClient#drain}, where the client sends while the worker takes).
 * A first drain of {@code -Dbench.preFilledWarmup} tasks (default half as many) warms the worker JVM up.
 */
final class PreFilledDrain {
    record Result(double perSecond, double workerMicrosPerTask, double redisMicrosPerTask, String threadCpu) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,.0f tasks/s, worker %.0f µs/task, redis %.0f µs/task", perSecond,
                    workerMicrosPerTask, redisMicrosPerTask);
        }
    }

    private PreFilledDrain() {
    }

    static Result measure(BenchRedis redis, OperatorSettings settings, WorkerBenchmark.Starter starter, int tasks)
            throws Exception {
        String stagingUrl = redis.url().replaceFirst("/0$", "/1");
        if (stagingUrl.equals(redis.url())) {
            throw new IllegalStateException("expected a Redis URL ending in database /0: " + redis.url());
        }
        OperatorSettings staging = OperatorSettings.builder().brokerUrl(stagingUrl).environment(k -> null)
                .defaultTimeout(settings.defaultTimeout()).build();
        try (WorkerProcess worker = starter.start(redis);
             OperatorClient client = OperatorClient.create(WorkerBenchmark.OPERATOR, WorkerBenchmark.VERSION, staging);
             Jedis db0 = redis.jedis();
             Jedis db1 = new Jedis(URI.create(stagingUrl))) {
            String queue = Priority.NORMAL.queueFor(client.name(), client.version());
            int warmUp = Integer.getInteger("bench.preFilledWarmup", Math.max(200, tasks / 2));
            once(worker, client, db0, db1, queue, warmUp);
            Result result = once(worker, client, db0, db1, queue, tasks);
            return new Result(result.perSecond(), result.workerMicrosPerTask(), result.redisMicrosPerTask(),
                    worker.threadCpu());
        }
    }

    private static Result once(WorkerProcess worker, OperatorClient client, Jedis db0, Jedis db1, String queue,
                               int tasks) {
        List<CompletableFuture<TaskHandle>> sends = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            sends.add(client.submitAsync(LoadClient.request(i), CallOptions.DEFAULTS));
        }
        List<String> ids = new ArrayList<>(tasks);
        sends.forEach(f -> ids.add(f.join().id()));
        if (db1.llen(queue) != tasks) {
            throw new IllegalStateException("staging queue holds " + db1.llen(queue) + " tasks, not " + tasks);
        }
        CpuMeter.Snapshot before = CpuMeter.take(worker.handle(), db0);
        long start = System.nanoTime();
        if (db1.move(queue, 0) != 1) {
            throw new IllegalStateException("MOVE of " + queue + " into database 0 failed (not empty there?)");
        }
        LoadClient.awaitDrained(db0, queue, ids);
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuMeter.Usage cpu = CpuMeter.between(before, CpuMeter.take(worker.handle(), db0));
        return new Result(tasks / seconds, cpu.microsPerTask(cpu.workerSeconds(), tasks),
                cpu.microsPerTask(cpu.redisSeconds(), tasks), null);
    }
}
