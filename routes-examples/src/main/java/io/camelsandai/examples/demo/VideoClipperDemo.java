package io.camelsandai.examples.demo;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import io.camelsandai.codec.KombuKeys;
import io.camelsandai.component.SandaiConstants;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.Priority;
import io.camelsandai.model.TaskMeta;
import io.camelsandai.transport.ResultBackend;
import redis.clients.jedis.Jedis;

/**
 * The camel-sandai demo: one JVM plays both sides of a Sandai operator over Redis.
 * <ol>
 * <li>The operator: route {@link VideoClipperRoute}, consumer {@code sandai:video-clipper:v1} with artifact staging and
 * four tasks at a time, splits a .y4m video into fixed-length clips and reports progress per clip.</li>
 * <li>The caller: route {@code direct:clip} to producer {@code sandai:video-clipper:v1}, which uploads the local input
 * video to S3, sends the task at the priority and timeout of its headers, and waits for the result.</li>
 * </ol>
 * Every task is queued before the operator route starts, so the order the operator takes them in shows the priority
 * queues (column "ran"). One task's cancel key is set beforehand (ends {@code cancelled}), one carries a deadline that
 * has passed (ends {@code deadline_exceeded}), one has an invalid option (ends {@code failed}). Exit code 0 when every
 * task ended as expected.
 */
public final class VideoClipperDemo {
    public static final String OPERATOR = "video-clipper";
    public static final String VERSION = "v1";
    /** Demo-only Redis names, so that a run against a shared Redis leaves other keys alone. */
    static final String CANCEL_KEY_PREFIX = "sandai-demo:cancel:";
    static final String DEAD_LETTER_QUEUE = "sandai-demo.dead-letter";
    private static final long REPLY_WAIT_SECONDS = 120;

    private final DemoInfrastructure infra;
    private final PrintStream out;
    private final List<DemoTask> tasks;

    public VideoClipperDemo(DemoInfrastructure infra, PrintStream out, List<DemoTask> tasks) {
        this.infra = infra;
        this.out = out;
        this.tasks = tasks;
    }

    public static void main(String[] args) {
        int exitCode;
        try (DemoInfrastructure infra = DemoInfrastructure.fromEnvironment()) {
            exitCode = new VideoClipperDemo(infra, System.out, DemoTask.standardSet()).run() ? 0 : 1;
        } catch (Exception e) {
            System.err.println("Demo failed: " + e);
            e.printStackTrace();
            exitCode = 2;
        }
        System.exit(exitCode); // after the Camel context, Redis and S3 have stopped
    }

    /** Runs the demo; true when every task ended with its expected status. */
    public boolean run() throws Exception {
        out.println("camel-sandai demo: operator " + OPERATOR + " " + VERSION);
        out.println("  Redis: " + infra.redisSource());
        out.println("  S3:    " + infra.s3Source() + ", bucket " + DemoInfrastructure.BUCKET);
        try (Jedis redis = new Jedis(URI.create(infra.redisUrl()))) {
            long leftOver = queuedTasks(redis).values().stream().mapToLong(Long::longValue).sum();
            if (leftOver > 0) {
                out.println("The " + OPERATOR + " " + VERSION + " queues on this Redis already hold " + leftOver
                            + " tasks that are not the demo's; not touching them. Point SANDAI_REDIS_URL elsewhere.");
                return false;
            }
        }
        Path dir = Files.createTempDirectory("sandai-demo-");
        List<TaskRow> rows = new ArrayList<>();
        try (CamelContext camel = new DefaultCamelContext()) {
            Path video = Y4mVideo.generate(dir.resolve("input.y4m"), 96, 54, 25, 12);
            out.printf("  Input: %s, 12 s of 96x54 at 25 fps (%,d bytes)%n%n", video, Files.size(video));

            camel.addRoutes(new VideoClipperRoute(operatorUri(dir.resolve("work")), false, out::println));
            camel.addRoutes(callerRoutes());
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();

            // The cancel key is set before the operator runs: that task is answered "cancelled" without computing.
            for (DemoTask task : tasks) {
                if (task.cancelKey() != null) {
                    template.sendBodyAndHeader("direct:cancel", null, SandaiConstants.CANCEL_KEY, task.cancelKey());
                    out.println("Cancel key '" + task.cancelKey() + "' set before its task is sent");
                }
            }
            List<CompletableFuture<Exchange>> replies = new ArrayList<>();
            for (DemoTask task : tasks) {
                TaskRow row = new TaskRow(task);
                rows.add(row);
                row.sentAt = System.nanoTime();
                CompletableFuture<Exchange> reply = template.asyncSend("direct:clip", exchange -> prepare(exchange,
                        task, video));
                replies.add(reply.whenComplete((exchange, error) -> {
                    row.finish(exchange, error);
                    out.printf("  [caller]        task %s (%s) ended %s%s%n", row.shortId(), task.priority(), row.status,
                            row.detail == null ? "" : ": " + row.detail);
                }));
            }
            awaitQueued(replies);

            out.println("Starting the operator route. It takes 4 tasks at a time, high before normal before low before"
                        + " very_low\n(column \"start\" is the order the route started them in):");
            camel.getRouteController().startRoute(VideoClipperRoute.ROUTE_ID);
            try {
                CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                        .get(REPLY_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                out.println("Not every task answered within " + REPLY_WAIT_SECONDS + " s");
            } catch (java.util.concurrent.ExecutionException e) {
                // each task's error is in its row
            }
        } finally {
            cleanUpRedis(rows);
            DemoFiles.deleteTree(dir);
        }
        return printTable(rows);
    }

    // ---- the two sides ------------------------------------------------------------------------------------------------

    /** The operator's consumer endpoint: inputs downloaded to a work dir, declared outputs uploaded to S3. */
    private String operatorUri(Path workDir) {
        return "sandai:" + OPERATOR + ":" + VERSION + "?" + redisOptions()
               + "&concurrency=4&shutdownTimeout=5s&deadLetterQueue=" + DEAD_LETTER_QUEUE
               + "&description=RAW(Splits a .y4m video into clips)&inputSlots=video&outputSlots=clips"
               + "&stageArtifacts=true&outputUri=s3://" + DemoInfrastructure.BUCKET + "/outputs&workDir=" + workDir
               + "&" + infra.s3Options();
    }

    /** The caller's routes: process calls with the input uploaded first, and the cancel operation. */
    private RouteBuilder callerRoutes() {
        String producer = "sandai:" + OPERATOR + ":" + VERSION + "?" + redisOptions();
        return new RouteBuilder() {
            @Override
            public void configure() {
                // Expected failures (cancelled, deadline, bad option) are read from each exchange; no error logging.
                errorHandler(noErrorHandler());
                from("direct:clip").routeId("clip-caller")
                        .to(producer + "&uploadInputs=true&stagingUri=s3://" + DemoInfrastructure.BUCKET + "/staging&"
                            + infra.s3Options());
                from("direct:cancel").routeId("cancel-caller")
                        .to(producer + "&operation=cancel");
            }
        };
    }

    private String redisOptions() {
        return "brokerUrl=RAW(" + infra.redisUrl() + ")&cancelKeyPrefix=" + CANCEL_KEY_PREFIX;
    }

    /** Body and headers of one call: priority, timeout and cancel key are per-message headers of the producer. */
    private static void prepare(Exchange exchange, DemoTask task, Path video) {
        exchange.setPattern(ExchangePattern.InOut); // wait for the result
        TaskMeta meta = TaskMeta.NONE;
        if (task.timeout() == null) {
            // A deadline that has already passed when the operator sees the task: it is answered without running.
            double now = Instant.now().toEpochMilli() / 1000.0;
            meta = new TaskMeta(now + 0.001, null, false, null, Map.of());
        }
        exchange.getMessage().setBody(new OperatorRequest(
                List.of(Artifact.of(video.toUri().toString(), "video")), Map.of("clip_seconds", task.clipSeconds()),
                meta));
        exchange.getMessage().setHeader(SandaiConstants.PRIORITY, task.priority().wireName());
        if (task.timeout() != null) {
            exchange.getMessage().setHeader(SandaiConstants.TIMEOUT, task.timeout());
        }
        if (task.cancelKey() != null) {
            exchange.getMessage().setHeader(SandaiConstants.CANCEL_KEY, task.cancelKey());
        }
    }

    // ---- Redis bookkeeping ----------------------------------------------------------------------------------------

    /** Waits (at most 60 s) until every task is in its queue, or answered already (e.g. its upload failed). */
    private void awaitQueued(List<CompletableFuture<Exchange>> replies) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Jedis redis = new Jedis(URI.create(infra.redisUrl()))) {
            while (true) {
                Map<Priority, Long> queued = queuedTasks(redis);
                long total = queued.values().stream().mapToLong(Long::longValue).sum()
                             + replies.stream().filter(CompletableFuture::isDone).count();
                if (total >= replies.size() || System.nanoTime() > giveUp) {
                    out.println("Queued: " + queued);
                    return;
                }
                Thread.sleep(50);
            }
        }
    }

    private static Map<Priority, Long> queuedTasks(Jedis redis) {
        Map<Priority, Long> queued = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            queued.put(p, redis.llen(p.queueFor(OPERATOR, VERSION)));
        }
        return queued;
    }

    /** Removes what the demo wrote to Redis: its results, its cancel keys, and its queues' bindings. */
    private void cleanUpRedis(List<TaskRow> rows) {
        try (Jedis redis = new Jedis(URI.create(infra.redisUrl()))) {
            for (TaskRow row : rows) {
                if (row.taskId != null) {
                    redis.del(ResultBackend.META_PREFIX + row.taskId);
                }
                if (row.task.cancelKey() != null) {
                    redis.del(CANCEL_KEY_PREFIX + row.task.cancelKey());
                }
            }
            for (Priority p : Priority.values()) {
                String queue = p.queueFor(OPERATOR, VERSION);
                if (redis.llen(queue) == 0) {
                    redis.del(KombuKeys.bindingKey(queue));
                }
            }
        } catch (RuntimeException e) {
            out.println("Could not clean up the demo's Redis keys: " + e);
        }
    }

    // ---- the table --------------------------------------------------------------------------------------------------

    private boolean printTable(List<TaskRow> rows) {
        out.println();
        String format = "%-8s  %-15s  %-8s  %-17s  %-3s  %-5s  %8s  %s%n";
        out.printf(format, "task id", "task", "priority", "status", "ok", "start", "time",
                "artifacts (count / first uri)");
        boolean allAsExpected = true;
        for (TaskRow row : rows) {
            boolean ok = row.task.expected().equals(row.status);
            allAsExpected &= ok;
            out.printf(format, row.shortId(), row.task.label(), row.task.priority(), row.status, ok ? "yes" : "NO",
                    row.startedAs == null ? "-" : "#" + row.startedAs, row.millis < 0 ? "-" : row.millis + " ms",
                    row.artifacts());
        }
        out.println();
        out.println(allAsExpected ? "Every task ended as expected." : "Some tasks did NOT end as expected (see ok).");
        return allAsExpected;
    }

    /** What one task ended with, as the caller saw it. */
    static final class TaskRow {
        final DemoTask task;
        volatile long sentAt;
        volatile long millis = -1;
        volatile String taskId;
        volatile String status = "no reply";
        volatile String detail;
        volatile Object startedAs;
        volatile List<Artifact> artifacts = List.of();

        TaskRow(DemoTask task) {
            this.task = task;
        }

        void finish(Exchange exchange, Throwable error) {
            millis = (System.nanoTime() - sentAt) / 1_000_000;
            if (exchange == null) {
                status = "error: " + error;
                return;
            }
            taskId = exchange.getMessage().getHeader(SandaiConstants.TASK_ID, String.class);
            String wireStatus = exchange.getMessage().getHeader(SandaiConstants.STATUS, String.class);
            Exception failure = exchange.getException();
            if (failure != null) {
                detail = failure.getMessage();
            }
            if (wireStatus != null) {
                status = wireStatus; // success, failed (error.type in the exception), cancelled, deadline_exceeded
            } else if (failure instanceof io.camelsandai.model.TaskTimeoutException) {
                status = "timeout";
            } else {
                status = failure == null ? "?" : failure.getClass().getSimpleName();
            }
            var result = exchange.getProperty(SandaiConstants.RESULT_PROPERTY, io.camelsandai.model.OperatorResult.class);
            if (result != null) {
                artifacts = result.artifacts();
                startedAs = result.results().get("started_as");
            }
        }

        String shortId() {
            return VideoClipperRoute.shortId(taskId);
        }

        String artifacts() {
            return artifacts.isEmpty() ? "0" : artifacts.size() + " / " + artifacts.get(0).uri();
        }
    }
}
