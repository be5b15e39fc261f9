package io.camelsandai.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.Priority;
import io.camelsandai.transport.amqp.AmqpConnectionSettings;
import io.camelsandai.transport.amqp.AmqpConnections;
import io.camelsandai.transport.amqp.AmqpUrl;

/**
 * Fire-and-forget sends over RabbitMQ: {@code OperatorClient.submitAsync} with an {@code amqp://} broker (every send
 * confirmed by the broker) from one thread, against stock Celery 5.2's {@code send_task} loop on the same RabbitMQ in
 * the same run, without and with {@code confirm_publish}. Prints a Markdown table for docs/performance.md.
 *
 * <p>Needs the machine's RabbitMQ on 127.0.0.1:5672 (guest) and {@code rabbitmqctl} (a fresh vhost is made and
 * deleted), and Redis on 127.0.0.1:6379 as the (unused) result backend. Argument: Java task count (default 50000);
 * Python sends a tenth of it (at least 2000).
 */
public final class AmqpSendBenchmark {
    private static final String QUEUE = "low.fire-op.v1";

    private AmqpSendBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        String vhost = "sandai-bench-" + UUID.randomUUID().toString().substring(0, 8);
        ctl("add_vhost", vhost);
        try {
            ctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
            String url = "amqp://guest:guest@127.0.0.1:5672/" + vhost;
            OperatorSettings settings = OperatorSettings.builder().brokerUrl(url)
                    .resultBackendUrl("redis://127.0.0.1:6379/15").build();
            // Each measurement checks its message count and then empties the queues, so the next one meets an
            // equally empty broker (a durable queue holding 100,000 persistent messages is slower to append to).
            double javaRate = java(settings, tasks);
            drain(url, tasks + 1);
            int pyTasks = Math.max(2000, tasks / 10);
            double pyRate = pyTasks / python(url, pyTasks, false);
            drain(url, pyTasks + 1);
            double pyConfirmRate = pyTasks / python(url, pyTasks, true);
            drain(url, pyTasks + 1);
            double ceiling = rawCeiling(url, tasks);
            System.out.println("| fire and forget over RabbitMQ | Java (confirms) | Python | ratio |");
            System.out.println("|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| vs `send_task` loop (no confirms, Celery's default) | %,d tasks: %,.0f tasks/s "
                              + "| %,d tasks: %,.0f tasks/s | **%.1f×** |%n", tasks, javaRate, pyTasks, pyRate,
                    javaRate / pyRate);
            System.out.printf(Locale.ROOT, "| vs `send_task` loop with `confirm_publish` | %,d tasks: %,.0f tasks/s "
                              + "| %,d tasks: %,.0f tasks/s | **%.1f×** |%n", tasks, javaRate, pyTasks, pyConfirmRate,
                    javaRate / pyConfirmRate);
            System.out.printf(Locale.ROOT, "| broker ceiling: bare amqp-client, one pre-encoded task message sent N times, persistent, "
                              + "confirmed | %,.0f msgs/s (ours is %.0f%% of it) | | |%n", ceiling, 100 * javaRate / ceiling);
        } finally {
            ctl("delete_vhost", vhost);
        }
    }

    private static OperatorRequest request(int i) {
        return OperatorRequest.of(List.of(), Map.of("i", i));
    }

    private static double java(OperatorSettings settings, int tasks) {
        try (OperatorClient client = OperatorClient.create("fire-op", "v1", settings)) {
            client.submit(request(-1), CallOptions.priority(Priority.LOW)); // connect and declare
            // Untimed warm-up on another queue so the JIT compiled the encode/publish path (steady state, as Python's
            // interpreter is from its first send); that queue is deleted with the vhost.
            try (OperatorClient warm = OperatorClient.create("fire-warmup", "v1", settings)) {
                List<CompletableFuture<?>> sends = new ArrayList<>();
                for (int i = 0; i < 30_000; i++) {
                    sends.add(warm.submitAsync(request(i), CallOptions.DEFAULTS));
                }
                sends.forEach(CompletableFuture::join);
            }
            long start = System.nanoTime();
            List<CompletableFuture<?>> sends = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                sends.add(client.submitAsync(request(i), CallOptions.priority(Priority.LOW)));
            }
            double published = (System.nanoTime() - start) / 1e9;
            sends.forEach(CompletableFuture::join); // every one confirmed by the broker
            double confirmed = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "java: %,d sends published in %.2f s, all confirmed after %.2f s%n", tasks,
                    published, confirmed);
            return tasks / confirmed;
        }
    }

    private static double python(String url, int tasks, boolean confirm) throws Exception {
        Path script = Files.createTempFile("sandai-amqp-bench", ".py");
        try (var in = AmqpSendBenchmark.class.getResourceAsStream("/python/amqp_bench_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), url, String.valueOf(tasks),
                    confirm ? "1" : "0", QUEUE).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("python benchmark client failed: exit " + p.exitValue());
            }
            Matcher m = Pattern.compile("FIRE_SECONDS ([0-9.]+)").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("python printed no timing: " + out);
            }
            return Double.parseDouble(m.group(1));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /**
     * What this RabbitMQ can take at all: the bare Java client publishing one pre-encoded task message (our headers
     * and body) N times to a durable queue on one confirm channel, waiting for all confirms once (no per-send
     * encoding, no futures). Our client cannot beat it; the ratio says what our layer costs.
     */
    private static double rawCeiling(String url, int tasks) throws Exception {
        try (Connection c = AmqpConnections.open(AmqpUrl.parse(url), AmqpConnectionSettings.DEFAULT, "bench-raw");
             Channel ch = c.createChannel()) {
            ch.queueDeclare("bench.raw", true, false, false, Map.of());
            ch.queuePurge("bench.raw");
            ch.confirmSelect();
            // one of our task messages, encoded once: the same headers and body bytes every send carries
            io.camelsandai.codec.TaskMessage m = io.camelsandai.codec.TaskMessage.builder()
                    .taskName("sandai.operator.process").queue("bench.raw").replyTo(UUID.randomUUID().toString())
                    .kwargs(Map.of("input_artifacts", List.of(), "options", Map.of("i", 12345),
                            "meta", Map.of("priority", "low", "deadline", 1.7e9)))
                    .build();
            com.rabbitmq.client.AMQP.BasicProperties props
                    = io.camelsandai.transport.amqp.CeleryAmqpMessages.properties(m, Map.of());
            byte[] body = m.encodeBody();
            long start = System.nanoTime();
            for (int i = 0; i < tasks; i++) {
                ch.basicPublish("", "bench.raw", true, props, body);
            }
            ch.waitForConfirmsOrDie(300_000);
            double rate = tasks / ((System.nanoTime() - start) / 1e9);
            ch.queueDelete("bench.raw");
            return rate;
        }
    }

    /** Checks that exactly {@code expected} tasks arrived, then purges the queue and drops the warm-up queue. */
    private static void drain(String url, long expected) throws Exception {
        try (Connection c = AmqpConnections.open(AmqpUrl.parse(url), AmqpConnectionSettings.DEFAULT, "bench-count");
             Channel ch = c.createChannel()) {
            long queued = ch.queueDeclarePassive(QUEUE).getMessageCount();
            if (queued != expected) {
                throw new IllegalStateException("expected " + expected + " queued, found " + queued);
            }
            ch.queuePurge(QUEUE);
            ch.queueDelete("normal.fire-warmup.v1");
        }
    }

    private static void ctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(cmd + " failed: " + out);
        }
    }
}
