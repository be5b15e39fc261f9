package io.camelsandai.operator;

import java.util.Map;

import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.Priority;

/** One task as an {@link OperatorHandler} sees it. */
public interface OperatorTask {
    /** The Celery task id. */
    String taskId();

    /** Input artifacts, options and meta; artifacts carry local paths when artifact staging downloaded them. */
    OperatorRequest request();

    /** The kwargs exactly as sent. */
    Map<String, Object> kwargs();

    /** The priority of the queue the task came from. */
    Priority priority();

    /** The queue (routing key) the task came from. */
    String queue();

    /** Celery's retry counter from the message headers. */
    int retries();

    /** Publishes a {@code PROGRESS} state {@code {"progress": percent, "message": message}}; never overwrites a final state. */
    void progress(int percent, String message);

    /** True when the task's cancel key is set now. */
    boolean isCancelled();

    /**
     * The Celery message headers (protocol v2) as sent, e.g. {@code task}, {@code id}, {@code traceparent}. When
     * tracing is on, the propagation headers are those of the operator's own {@code run/<task>} span, so whatever runs
     * the task further continues that span. Empty when unknown.
     */
    default Map<String, Object> headers() {
        return Map.of();
    }
}
