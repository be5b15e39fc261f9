package io.camelsandai.benchmarks.worker;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    /**
     * {@code redisReadsPerTask}: the socket reads Redis processed per task ({@code total_reads_processed}), i.e. how
     * many round trips the worker needed per task (fewer when its commands come pipelined in bigger batches);
     * {@code redisCommandsPerTask}: commands per task (both include this harness' own polling).
     */
    record Result(double perSecond, double workerMicrosPerTask, double redisMicrosPerTask, String threadCpu,
                  double redisReadsPerTask, double redisCommandsPerTask) {
        Result(double perSecond, double workerMicrosPerTask, double redisMicrosPerTask, String threadCpu) {
            this(perSecond, workerMicrosPerTask, redisMicrosPerTask, threadCpu, Double.NaN, Double.NaN);
        }

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

    /** One side of a paired drain: its worker, and the tracing its client sends with (traced messages or not). */
    record PairedSide(String label, WorkerBenchmark.Starter starter, Runnable clientTracing) {
    }

    /**
     * {@code -Dbench.tracingPaired}: two workers ({@code a}, usually untraced, and {@code b}), each with its own
     * Redis, drain their pre-filled queues at the same time, {@code rounds} times after a warm-up round, so that the
     * machine's background load (other builds on the shared cores) falls on both alike. Each round's queues are
     * filled first (the client tracing as the side says), then both are released together; which side is filled and
     * released first alternates from round to round. Besides tasks/s and process CPU, each round reports the CPU of
     * the workers' runtime threads alone ({@code sandai-*}: task threads, taker, writers; no JIT, GC or span
     * processor), and a summary the CPU per task of every kind of thread over the measured rounds.
     */
    static void paired(Duration timeout, int tasks, int rounds, PairedSide a, PairedSide b) throws Exception {
        try (BenchRedis aRedis = BenchRedis.start();
             BenchRedis bRedis = BenchRedis.start();
             Side sa = new Side(aRedis, timeout, a.starter());
             Side sb = new Side(bRedis, timeout, b.starter())) {
            System.out.println("A = " + a.label() + ", B = " + b.label());
            System.out.println("| round | A tasks/s | B tasks/s | B vs A | CPU µs/task A: worker / runtime threads / redis "
                               + "| B: worker / runtime threads / redis | Redis reads / commands per task, A | B "
                               + "| load average |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            int warmUp = Integer.getInteger("bench.preFilledWarmup", Math.max(200, tasks / 2));
            Map<String, Double> aBefore = null;
            Map<String, Double> bBefore = null;
            double aRate = 0;
            double bRate = 0;
            for (int round = 0; round <= rounds; round++) {
                int n = round == 0 ? warmUp : tasks;
                boolean aFirst = round % 2 == 0;
                List<String> aIds;
                List<String> bIds;
                if (aFirst) {
                    a.clientTracing().run();
                    aIds = sa.fill(n);
                    b.clientTracing().run();
                    bIds = sb.fill(n);
                } else {
                    b.clientTracing().run();
                    bIds = sb.fill(n);
                    a.clientTracing().run();
                    aIds = sa.fill(n);
                }
                if (round == 1) {
                    aBefore = ThreadGroupsCpu.of(sa.worker.handle());
                    bBefore = ThreadGroupsCpu.of(sb.worker.handle());
                }
                Map<String, Double> aThreads = ThreadGroupsCpu.of(sa.worker.handle());
                Map<String, Double> bThreads = ThreadGroupsCpu.of(sb.worker.handle());
                CompletableFuture<Result> aDrain;
                CompletableFuture<Result> bDrain;
                if (aFirst) {
                    aDrain = CompletableFuture.supplyAsync(() -> sa.drain(aIds));
                    bDrain = CompletableFuture.supplyAsync(() -> sb.drain(bIds));
                } else {
                    bDrain = CompletableFuture.supplyAsync(() -> sb.drain(bIds));
                    aDrain = CompletableFuture.supplyAsync(() -> sa.drain(aIds));
                }
                Result ra = aDrain.join();
                Result rb = bDrain.join();
                double aRuntime = runtimeMicrosPerTask(aThreads, ThreadGroupsCpu.of(sa.worker.handle()), n);
                double bRuntime = runtimeMicrosPerTask(bThreads, ThreadGroupsCpu.of(sb.worker.handle()), n);
                if (round > 0) {
                    aRate += ra.perSecond();
                    bRate += rb.perSecond();
                    System.out.printf(Locale.ROOT,
                            "| %d | %,.0f | %,.0f | %+.1f %% | %.0f / %.0f / %.0f | %.0f / %.0f / %.0f | %.2f / %.2f "
                            + "| %.2f / %.2f | %.1f |%n", round,
                            ra.perSecond(), rb.perSecond(), (rb.perSecond() / ra.perSecond() - 1) * 100,
                            ra.workerMicrosPerTask(), aRuntime, ra.redisMicrosPerTask(), rb.workerMicrosPerTask(),
                            bRuntime, rb.redisMicrosPerTask(), ra.redisReadsPerTask(), ra.redisCommandsPerTask(),
                            rb.redisReadsPerTask(), rb.redisCommandsPerTask(),
                            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                }
            }
            System.out.printf(Locale.ROOT, "mean over %d rounds: A %,.0f tasks/s, B %,.0f tasks/s, B vs A %+.1f %%%n",
                    rounds, aRate / rounds, bRate / rounds, (bRate / aRate - 1) * 100);
            System.out.println("CPU µs/task over the measured rounds, by thread kind: A " + perTask(aBefore,
                    ThreadGroupsCpu.of(sa.worker.handle()), rounds * tasks) + "; B " + perTask(bBefore,
                    ThreadGroupsCpu.of(sb.worker.handle()), rounds * tasks));
            System.out.println("A worker threads CPU (whole life): " + sa.worker.threadCpu());
            System.out.println("B worker threads CPU (whole life): " + sb.worker.threadCpu());
        }
    }

    /**
     * {@code -Dbench.tracingToggle=<n>}: one worker that switches its own tracing every {@code n} tasks
     * ({@link TracingToggle}) drains traced messages, a warm-up round then {@code rounds} rounds; prints the CPU per
     * task of each phase as the worker booked it (the last totals line of its log).
     */
    static void toggled(Duration timeout, int tasks, int rounds, long every, Runnable clientTracing)
            throws Exception {
        try (BenchRedis redis = BenchRedis.start();
             Side side = new Side(redis, timeout, r -> WorkerBenchmark.plainJavaWorker(r, 8,
                     List.of("-Dbench.tracingToggle=" + every,
                             "-Dbench.tracingSdk=" + System.getProperty("bench.tracingSdk", "batched"))))) {
            int warmUp = Integer.getInteger("bench.preFilledWarmup", Math.max(200, tasks / 2));
            clientTracing.run();
            side.drain(side.fill(warmUp));
            System.out.println("| round | tasks/s | CPU µs/task worker / redis | runtime threads µs/task, tracing off "
                               + "| on | on - off | process µs/task, off | on | on - off "
                               + "| runtime threads bytes allocated/task, off | on | load average |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
            long[] first = toggleTotals(side.worker);
            long[] previous = first;
            for (int round = 1; round <= rounds; round++) {
                Result r = side.drain(side.fill(tasks));
                long[] now = toggleTotals(side.worker);
                System.out.printf(Locale.ROOT, "| %d | %,.0f | %.0f / %.0f | %s | %.1f |%n", round, r.perSecond(),
                        r.workerMicrosPerTask(), r.redisMicrosPerTask(), togglePerTask(previous, now),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                previous = now;
            }
            System.out.println("| all rounds | | | " + togglePerTask(first, previous) + " | |");
            System.out.println("(runtime threads: sandai-*, i.e. task threads, taker, writers; process: all threads, "
                               + "also JIT, GC and the SDK's batch processor)");
            System.out.println("worker threads CPU (whole life): " + side.worker.threadCpu());
        }
    }

    /** µs per task of the runtime threads and of the process, off / on / on - off, between two totals lines. */
    private static String togglePerTask(long[] from, long[] to) {
        double offTasks = to[0] - from[0];
        double onTasks = to[4] - from[4];
        double offRuntime = (to[1] - from[1]) / 1e3 / offTasks;
        double onRuntime = (to[5] - from[5]) / 1e3 / onTasks;
        double offProcess = (to[2] - from[2]) / 1e3 / offTasks;
        double onProcess = (to[6] - from[6]) / 1e3 / onTasks;
        return String.format(Locale.ROOT, "%.1f | %.1f | %+.1f | %.1f | %.1f | %+.1f | %,.0f | %,.0f", offRuntime,
                onRuntime, onRuntime - offRuntime, offProcess, onProcess, onProcess - offProcess,
                (to[3] - from[3]) / offTasks, (to[7] - from[7]) / onTasks);
    }

    /** The last totals line the worker's {@link TracingToggle} wrote. */
    private static long[] toggleTotals(WorkerProcess worker) throws java.io.IOException {
        String line = java.nio.file.Files.readAllLines(worker.log()).stream().filter(l -> l.startsWith("TOGGLE "))
                .reduce((x, y) -> y).orElseThrow(() -> new IllegalStateException("no TOGGLE line in " + worker.log()));
        String[] f = line.substring("TOGGLE ".length()).trim().split(" ");
        long[] out = new long[8];
        for (int i = 0; i < 8; i++) {
            out[i] = Long.parseLong(f[i]);
        }
        return out;
    }

    private static double runtimeMicrosPerTask(Map<String, Double> before, Map<String, Double> after, int tasks) {
        return ThreadGroupsCpu.between(before, after).get(ThreadGroupsCpu.RUNTIME) * 1e6 / tasks;
    }

    private static String perTask(Map<String, Double> before, Map<String, Double> after, int tasks) {
        Map<String, Double> d = ThreadGroupsCpu.between(before, after);
        StringBuilder out = new StringBuilder();
        for (String g : ThreadGroupsCpu.GROUPS) {
            out.append(out.isEmpty() ? "" : ", ").append(g).append(' ')
                    .append(String.format(Locale.ROOT, "%.1f", d.get(g) * 1e6 / tasks));
        }
        return out.toString();
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
            long[] statsBefore = redisStats();
            CpuMeter.Snapshot before = CpuMeter.take(worker.handle(), db0);
            long start = System.nanoTime();
            if (db1.move(queue, 0) != 1) {
                throw new IllegalStateException("MOVE of " + queue + " into database 0 failed (not empty there?)");
            }
            LoadClient.awaitDrained(db0, queue, ids);
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuMeter.Usage cpu = CpuMeter.between(before, CpuMeter.take(worker.handle(), db0));
            long[] statsAfter = redisStats();
            return new Result(ids.size() / seconds, cpu.microsPerTask(cpu.workerSeconds(), ids.size()),
                    cpu.microsPerTask(cpu.redisSeconds(), ids.size()), null,
                    (statsAfter[0] - statsBefore[0]) / (double) ids.size(),
                    (statsAfter[1] - statsBefore[1]) / (double) ids.size());
        }

        /** {total_reads_processed, total_commands_processed} of the worker's Redis. */
        private long[] redisStats() {
            long[] out = new long[2];
            for (String line : db0.info("stats").split("\r?\n")) {
                if (line.startsWith("total_reads_processed:")) {
                    out[0] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                } else if (line.startsWith("total_commands_processed:")) {
                    out[1] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            return out;
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
