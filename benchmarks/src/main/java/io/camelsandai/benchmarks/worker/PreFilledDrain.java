package io.camelsandai.benchmarks.worker;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
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
        try (Side side = new Side(redis, settings.defaultTimeout(), starter)) {
            side.drain(side.fill(Integer.getInteger("bench.preFilledWarmup", Math.max(200, tasks / 2))));
            Result result = side.drain(side.fill(tasks));
            return new Result(result.perSecond(), result.workerMicrosPerTask(), result.redisMicrosPerTask(),
                    side.worker.threadCpu());
        }
    }

    /**
     * {@code -Dbench.tracingPaired}: an untraced and a traced worker, each with its own Redis, drain their pre-filled
     * queues at the same time, {@code rounds} times after a warm-up round, so that the machine's background load
     * (other builds on the shared cores) falls on both alike. Each round's queues are filled first (the client
     * tracing only for the traced side's messages), then both are released together.
     */
    static void paired(Duration timeout, int tasks, int rounds, Runnable tracingOff, Runnable tracingOn)
            throws Exception {
        try (BenchRedis offRedis = BenchRedis.start();
             BenchRedis onRedis = BenchRedis.start();
             Side off = new Side(offRedis, timeout, r -> WorkerBenchmark.plainJavaWorker(r, 8));
             Side on = new Side(onRedis, timeout, r -> WorkerBenchmark.tracedJavaWorker(r, 8))) {
            System.out.println("| round | untraced tasks/s | traced tasks/s | traced vs untraced "
                               + "| CPU µs/task worker / redis, untraced | traced | load average |");
            System.out.println("|---|---|---|---|---|---|---|");
            int warmUp = Integer.getInteger("bench.preFilledWarmup", Math.max(200, tasks / 2));
            for (int round = 0; round <= rounds; round++) {
                int n = round == 0 ? warmUp : tasks;
                tracingOff.run();
                List<String> offIds = off.fill(n);
                tracingOn.run();
                List<String> onIds = on.fill(n);
                CompletableFuture<Result> offDrain = CompletableFuture.supplyAsync(() -> off.drain(offIds));
                CompletableFuture<Result> onDrain = CompletableFuture.supplyAsync(() -> on.drain(onIds));
                Result a = offDrain.join();
                Result b = onDrain.join();
                if (round > 0) {
                    System.out.printf(Locale.ROOT,
                            "| %d | %,.0f | %,.0f | %+.1f %% | %.0f / %.0f | %.0f / %.0f | %.1f |%n", round, a.perSecond(), b.perSecond(), (b.perSecond() / a.perSecond() - 1) * 100,
                            a.workerMicrosPerTask(), a.redisMicrosPerTask(), b.workerMicrosPerTask(),
                            b.redisMicrosPerTask(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                }
            }
            System.out.println("untraced worker threads CPU: " + off.worker.threadCpu());
            System.out.println("traced worker threads CPU: " + on.worker.threadCpu());
        }
    }

    /** One worker, its Redis (database 0) and a client sending into the staging database 1. */
    private static final class Side implements AutoCloseable {
        private final WorkerProcess worker;
        private final OperatorClient client;
        private final Jedis db0;
        private final Jedis db1;
        private final String queue;

        Side(BenchRedis redis, Duration timeout, WorkerBenchmark.Starter starter) throws Exception {
            String stagingUrl = redis.url().replaceFirst("/0$", "/1");
            if (stagingUrl.equals(redis.url())) {
                throw new IllegalStateException("expected a Redis URL ending in database /0: " + redis.url());
            }
            OperatorSettings staging = OperatorSettings.builder().brokerUrl(stagingUrl).environment(k -> null)
                    .defaultTimeout(timeout).build();
            worker = starter.start(redis);
            client = OperatorClient.create(WorkerBenchmark.OPERATOR, WorkerBenchmark.VERSION, staging);
            db0 = redis.jedis();
            db1 = new Jedis(URI.create(stagingUrl));
            queue = Priority.NORMAL.queueFor(client.name(), client.version());
        }

        /** Sends {@code tasks} tasks into the staging database; their ids. */
        List<String> fill(int tasks) {
            List<CompletableFuture<TaskHandle>> sends = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                sends.add(client.submitAsync(LoadClient.request(i), CallOptions.DEFAULTS));
            }
            List<String> ids = new ArrayList<>(tasks);
            sends.forEach(f -> ids.add(f.join().id()));
            if (db1.llen(queue) != tasks) {
                throw new IllegalStateException("staging queue holds " + db1.llen(queue) + " tasks, not " + tasks);
            }
            return ids;
        }

        /** Moves the staged queue under the worker and waits until every task of {@code ids} has its result. */
        Result drain(List<String> ids) {
            CpuMeter.Snapshot before = CpuMeter.take(worker.handle(), db0);
            long start = System.nanoTime();
            if (db1.move(queue, 0) != 1) {
                throw new IllegalStateException("MOVE of " + queue + " into database 0 failed (not empty there?)");
            }
            LoadClient.awaitDrained(db0, queue, ids);
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuMeter.Usage cpu = CpuMeter.between(before, CpuMeter.take(worker.handle(), db0));
            return new Result(ids.size() / seconds, cpu.microsPerTask(cpu.workerSeconds(), ids.size()),
                    cpu.microsPerTask(cpu.redisSeconds(), ids.size()), null);
        }

        @Override
        public void close() {
            db1.close();
            db0.close();
            client.close();
            worker.close();
        }
    }
}
