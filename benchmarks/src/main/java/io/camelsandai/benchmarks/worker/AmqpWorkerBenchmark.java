package io.camelsandai.benchmarks.worker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.operator.OperatorRuntimeSettings;
import io.camelsandai.transport.amqp.AmqpConnectionSettings;
import io.camelsandai.transport.amqp.AmqpConnections;
import io.camelsandai.transport.amqp.AmqpUrl;
import io.camelsandai.transport.amqp.CeleryAmqpTopology;

/**
 * The worker on RabbitMQ against stock Celery 5.2 pools on the same RabbitMQ in the same run: a no-op operator,
 * results by {@code rpc://} (a message to the caller's reply queue), acks late for Java (its default) and Celery's
 * defaults (ack on receipt, prefetch multiplier 4) for Python.
 *
 * <ul>
 * <li>warm-up: {@code warmup} tasks drained first (default 3000: the JIT of the Java worker and client settles;
 * Celery gets the same);</li>
 * <li>drain: {@code tasks} tasks published (confirmed) while the worker runs; tasks/s from the first publish to the
 * last result message; CPU milliseconds per 1000 tasks of the broker ({@code beam.smp}), this JVM (the client, plus
 * the worker for Java) and the Python worker's process tree during the drain;</li>
 * <li>latency: one task at a time, publish to result message, p50/p99 over {@code samples}.</li>
 * </ul>
 * Configs: {@code java-c8} (the Java worker in this JVM, prefetch 64; {@code -p<n>} another prefetch),
 * {@code javaproc-c8} (the same worker in its own JVM, {@link AmqpJavaWorkerMain}: its CPU is measured apart from the
 * client's, in the worker-process column), {@code celery-<pool>-c<n>}.
 * Usage: {@code mvn -o -q -pl benchmarks exec:java -Dexec.mainClass=io.camelsandai.benchmarks.worker.AmqpWorkerBenchmark
 * -Dexec.args="<tasks> <samples> [configs] [warmup]"}; RabbitMQ from {@code SANDAI_BENCH_AMQP_URL}, default the local guest one.
 */
public final class AmqpWorkerBenchmark {
    static final String OPERATOR = "noop-amqp";
    static final String VERSION = "v1";
    private static final String QUEUE = "normal." + OPERATOR + "." + VERSION;
    private static final byte[] BODY = "[[], {\"input_artifacts\": [], \"options\": {}, \"meta\": {}}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}]"
            .getBytes(StandardCharsets.UTF_8);

    private record Row(String worker, double tasksPerSecond, double p50Millis, double p99Millis,
                       CpuMeter.Usage cpu, int tasks) {
        /** CPU milliseconds per 1000 tasks. */
        long per1000(double seconds) {
            return Math.round(seconds * 1e6 / tasks);
        }

        String cpuColumns(String separator) {
            return per1000(cpu.redisSeconds()) + separator + per1000(cpu.clientSeconds()) + separator
                   + per1000(cpu.workerSeconds());
        }
    }

    private AmqpWorkerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 3000;
        String url = System.getenv().getOrDefault("SANDAI_BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F");
        Path module = pythonModuleDir();
        List<Row> rows = new ArrayList<>();
        try (Connection connection = AmqpConnections.open(AmqpUrl.parse(url), AmqpConnectionSettings.DEFAULT,
                "sandai-bench-client")) {
            Client client = new Client(connection);
            List<String> configs = args.length > 2 ? List.of(args[2].split(","))
                    : List.of("java-c8", "celery-solo", "celery-threads-c8", "celery-prefork-c2");
            for (String config : configs) {
                client.purge();
                try (AutoCloseable worker = start(config, url, module)) {
                    ProcessHandle process = worker instanceof WorkerProcess w ? w.handle() : null;
                    client.drain(warmup);
                    CpuMeter.Snapshot before = CpuMeter.takeOnRabbitMq(process);
                    // a Java worker JVM's threads by kind (a Celery pool's CPU is in its children, not broken down)
                    boolean javaProcess = process != null && config.startsWith("javaproc");
                    Map<String, Double> threadsBefore = javaProcess ? ThreadGroupsCpu.of(process) : null;
                    double rate = client.drain(tasks);
                    CpuMeter.Usage cpu = CpuMeter.between(before, CpuMeter.takeOnRabbitMq(process));
                    String threads = !javaProcess ? "" : "   worker threads rest/JIT/GC "
                            + threadsPer1000(ThreadGroupsCpu.between(threadsBefore, ThreadGroupsCpu.of(process)), tasks);
                    double[] latencies = client.latencies(samples);
                    Row row = new Row(config, rate, percentile(latencies, 50), percentile(latencies, 99), cpu, tasks);
                    rows.add(row);
                    System.out.printf(Locale.ROOT, "%-20s %10.0f tasks/s   p50 %7.2f ms   p99 %7.2f ms   CPU ms per "
                                                   + "1000 tasks broker/JVM/worker process %s%s%n", config, rate,
                            row.p50Millis(), row.p99Millis(), row.cpuColumns("/"), threads);
                }
            }
        }
        // the best row of each side, whatever order the configs were given in (a Java row may be run twice)
        Row java = rows.stream().filter(r -> r.worker().startsWith("java"))
                .max((a, b) -> Double.compare(a.tasksPerSecond(), b.tasksPerSecond())).orElse(rows.get(0));
        Row best = rows.stream().filter(r -> r.worker().startsWith("celery"))
                .max((a, b) -> Double.compare(a.tasksPerSecond(), b.tasksPerSecond())).orElse(java);
        System.out.println();
        System.out.println("| worker | tasks/s | p50 ms | p99 ms | CPU ms / 1000 tasks: broker | JVM (client, + worker for java-*) | worker process (celery-*, javaproc-*) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %s |%n", r.worker(), r.tasksPerSecond(),
                    r.p50Millis(), r.p99Millis(), r.cpuColumns(" | "));
        }
        System.out.printf(Locale.ROOT, "%nJava / best Celery pool (%s): throughput %.1fx, p50 %.1fx lower, p99 %.1fx "
                                       + "lower%n", best.worker(), java.tasksPerSecond() / best.tasksPerSecond(),
                best.p50Millis() / java.p50Millis(), best.p99Millis() / java.p99Millis());
        System.exit(0);
    }

    /**
     * A worker JVM's thread CPU in milliseconds per 1000 tasks as {@code rest/JIT/GC}: its own threads and the AMQP
     * client's apart from the compilers and the collector (a fresh JVM is still compiling during the drain).
     */
    private static String threadsPer1000(Map<String, Double> seconds, int tasks) {
        double jit = seconds.getOrDefault(ThreadGroupsCpu.JIT, 0.0);
        double gc = seconds.getOrDefault(ThreadGroupsCpu.GC, 0.0);
        double rest = seconds.values().stream().mapToDouble(Double::doubleValue).sum() - jit - gc;
        return Math.round(rest * 1e6 / tasks) + "/" + Math.round(jit * 1e6 / tasks) + "/" + Math.round(gc * 1e6 / tasks);
    }

    private static AutoCloseable start(String config, String url, Path module) throws Exception {
        if (config.startsWith("javaproc")) {
            // the same worker in its own JVM: its CPU is the "Python worker" column, apart from the client's
            int prefetch = config.contains("-p") ? Integer.parseInt(config.substring(config.indexOf("-p") + 2)) : 64;
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            return WorkerProcess.start(config, List.of(java, "-Xmx512m", "-cp", WorkerBenchmark.classPath(),
                    AmqpJavaWorkerMain.class.getName(), url, "8", Integer.toString(prefetch)), Map.of(),
                    Duration.ofSeconds(60));
        }
        if (config.startsWith("java")) {
            // java-c8 = concurrency 8, prefetch 64; java-c8-p8 = prefetch 8 (the default: prefetch = concurrency)
            int prefetch = config.contains("-p") ? Integer.parseInt(config.substring(config.indexOf("-p") + 2)) : 64;
            OperatorRuntime runtime = new OperatorRuntime(OperatorRuntimeSettings.builder(OPERATOR, VERSION)
                    .connection(OperatorSettings.builder().environment(k -> null).build())
                    .amqpBrokerUrl(url).rpcResults(true).remoteControl(false).concurrency(8).prefetch(prefetch).build(),
                    task -> CompletableFuture.completedFuture(OperatorResult.success(List.of(), Map.of())));
            runtime.start();
            return runtime;
        }
        String pool = config.split("-")[1];
        String concurrency = config.endsWith("c8") ? "8" : config.endsWith("c2") ? "2" : "1";
        String queues = String.join(",", List.of("high", "normal", "low", "very_low").stream()
                .map(p -> p + "." + OPERATOR + "." + VERSION).toList());
        return WorkerProcess.start(config, List.of("/usr/bin/python3", "-m", "celery", "-A", "bench_amqp_worker",
                        "worker", "-P", pool, "-c", concurrency, "-Q", queues, "-l", "WARNING", "--without-gossip",
                        "--without-mingle", "--without-heartbeat", "-n", "bench-" + config + "@%h"),
                Map.of("PYTHONPATH", module.toString(), "SANDAI_BENCH_AMQP_URL", url), Duration.ofSeconds(90));
    }

    /** Publishes Celery task messages with reply_to and counts the rpc:// result messages. */
    private static final class Client {
        private final Channel publish;
        private final Channel replies;
        private final String replyQueue;
        private final Map<String, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
        private volatile CountDownLatch drained = new CountDownLatch(0);
        private volatile long lastResultNanos;

        Client(Connection connection) throws IOException {
            publish = connection.createChannel();
            publish.confirmSelect();
            for (String p : List.of("high", "normal", "low", "very_low")) {
                CeleryAmqpTopology.declareTaskQueue(publish, p + "." + OPERATOR + "." + VERSION);
            }
            replies = connection.createChannel();
            replyQueue = replies.queueDeclare("", false, true, true, Map.of()).getQueue();
            replies.basicConsume(replyQueue, true, new DefaultConsumer(replies) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                    if (!new String(body, StandardCharsets.UTF_8).contains("\"SUCCESS\"")) {
                        return; // STARTED etc.: not a final state
                    }
                    long now = System.nanoTime();
                    lastResultNanos = now;
                    CompletableFuture<Long> f = waiting.remove(props.getCorrelationId());
                    if (f != null) {
                        f.complete(now);
                    }
                    drained.countDown();
                }
            });
        }

        void purge() throws IOException {
            for (String p : List.of("high", "normal", "low", "very_low")) {
                publish.queuePurge(p + "." + OPERATOR + "." + VERSION);
            }
        }

        private void send(String id) throws IOException {
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                    .contentEncoding("utf-8").correlationId(id).replyTo(replyQueue).deliveryMode(2).priority(0)
                    .headers(Map.of("lang", "py", "task", "sandai.operator.process", "id", id, "root_id", id,
                            "retries", 0, "argsrepr", "()", "kwargsrepr", "{}", "origin", "bench"))
                    .build();
            publish.basicPublish(CeleryAmqpTopology.exchangeFor(QUEUE), CeleryAmqpTopology.routingKeyFor(QUEUE),
                    props, BODY);
        }

        /** tasks/s from the first publish to the last result. */
        double drain(int tasks) throws Exception {
            drained = new CountDownLatch(tasks);
            long start = System.nanoTime();
            for (int i = 0; i < tasks; i++) {
                send(UUID.randomUUID().toString());
            }
            publish.waitForConfirmsOrDie(60_000);
            if (!drained.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("results missing: " + drained.getCount());
            }
            return tasks / ((lastResultNanos - start) / 1e9);
        }

        double[] latencies(int samples) throws Exception {
            double[] millis = new double[samples];
            for (int i = 0; i < samples; i++) {
                String id = UUID.randomUUID().toString();
                CompletableFuture<Long> done = new CompletableFuture<>();
                waiting.put(id, done);
                long start = System.nanoTime();
                send(id);
                millis[i] = (done.get(60, TimeUnit.SECONDS) - start) / 1e6;
            }
            return millis;
        }
    }

    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static Path pythonModuleDir() throws IOException {
        Path dir = Files.createTempDirectory("sandai-bench-amqp-python");
        try (InputStream in = AmqpWorkerBenchmark.class.getResourceAsStream("/python/bench_amqp_worker.py")) {
            if (in == null) {
                throw new IllegalStateException("missing resource /python/bench_amqp_worker.py");
            }
            Files.write(dir.resolve("bench_amqp_worker.py"), in.readAllBytes());
        }
        return dir;
    }
}
