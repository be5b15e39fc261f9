package io.camelsandai.examples.demo;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import io.camelsandai.component.SandaiConstants;
import io.camelsandai.component.SandaiProgress;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.operator.OperatorFailure;

/**
 * The {@code video-clipper} {@code v1} operator as a Camel route. With {@code stageArtifacts=true} on the endpoint,
 * the component has already downloaded the input video when the route runs, and uploads the clip files the route
 * declares in {@code CamelSandaiOutputs} once it ends; the route itself only touches local files.
 *
 * <p>Input slot {@code video} (a .y4m file), option {@code clip_seconds} (default 2); output slot {@code clips};
 * results {@code clips}, {@code frames_per_clip}, {@code started_as} (the order in which this route started tasks,
 * which shows the priority queues at work).
 */
public class VideoClipperRoute extends RouteBuilder {
    public static final String ROUTE_ID = "video-clipper";

    private final String operatorUri;
    private final boolean autoStartup;
    private final Consumer<String> progressLog;
    private final AtomicInteger started = new AtomicInteger();

    /**
     * @param operatorUri the {@code sandai:video-clipper:v1?...} consumer endpoint, with stageArtifacts and outputUri
     * @param autoStartup false to start the route later (the demo queues every task first)
     * @param progressLog where each progress report is also printed
     */
    public VideoClipperRoute(String operatorUri, boolean autoStartup, Consumer<String> progressLog) {
        this.operatorUri = operatorUri;
        this.autoStartup = autoStartup;
        this.progressLog = progressLog;
    }

    @Override
    public void configure() {
        // A failure here becomes the task's "failed" result, which the caller gets with error.type and message;
        // Camel's default error handler would only add a stack trace to this JVM's log.
        errorHandler(noErrorHandler());
        from(operatorUri)
                .routeId(ROUTE_ID)
                .autoStartup(autoStartup)
                .process(this::clip);
    }

    private void clip(Exchange exchange) throws Exception {
        OperatorRequest request = exchange.getMessage().getBody(OperatorRequest.class);
        String taskId = shortId(exchange.getMessage().getHeader(SandaiConstants.TASK_ID, String.class));
        String priority = exchange.getMessage().getHeader(SandaiConstants.PRIORITY, String.class);

        int clipSeconds = clipSeconds(request.options().getOrDefault("clip_seconds", 2));
        int order = started.incrementAndGet(); // counts the tasks that start clipping
        Path video = request.inputArtifact("video").localPath(); // downloaded by stageArtifacts
        Y4mVideo.Header header = Y4mVideo.header(video);

        List<Path> clips = Y4mVideo.split(video, video.getParent().resolve("clips"), clipSeconds, (done, total) -> {
            int percent = done * 100 / total;
            // Published as a Celery PROGRESS state: every caller waiting on this task sees it.
            SandaiProgress.report(exchange, percent, "clip " + done + "/" + total);
            progressLog.accept(String.format("  [video-clipper] task %s (%s) %3d%%  clip %d/%d", taskId, priority,
                    percent, done, total));
        });

        // Declared outputs: the component uploads them below outputUri and answers them as artifacts (size, sha256).
        exchange.getMessage().setHeader(SandaiConstants.OUTPUTS, Map.of("clips", clips));
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("clips", clips.size());
        results.put("frames_per_clip", clipSeconds * header.fps());
        results.put("started_as", order);
        exchange.getMessage().setBody(Map.of("results", results));
    }

    /** Bad options fail the task with a typed, non-retryable error that the caller sees as error.type. */
    private static int clipSeconds(Object value) {
        if (!(value instanceof Number number) || number.intValue() < 1 || number.intValue() > 3600) {
            throw new OperatorFailure("InvalidOptions", "clip_seconds must be a whole number from 1 to 3600, got "
                                                        + value, false);
        }
        return number.intValue();
    }

    static String shortId(String taskId) {
        return taskId == null ? "?" : taskId.substring(0, Math.min(8, taskId.length()));
    }
}
