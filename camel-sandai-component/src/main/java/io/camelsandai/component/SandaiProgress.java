package io.camelsandai.component;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import io.camelsandai.operator.OperatorTask;

/**
 * Lets a consumer route publish {@code PROGRESS} {@code {"progress": percent, "message": message}} for the task it
 * serves, which the caller sees while it waits. Outside a {@code sandai:} consumer exchange it does nothing.
 *
 * <pre>
 * from("sandai:clipper:v1").process(SandaiProgress.at(10, "downloading")).to(...)
 *     .bean(SandaiProgress.class, "report(${exchange}, 90, 'uploading')")
 * </pre>
 */
public final class SandaiProgress {
    private SandaiProgress() {
    }

    /** Publishes progress for the task of this exchange; returns false when the exchange is not serving a task. */
    public static boolean report(Exchange exchange, int percent, String message) {
        OperatorTask task = exchange.getProperty(SandaiConstants.TASK_PROPERTY, OperatorTask.class);
        if (task == null) {
            return false;
        }
        task.progress(Math.max(0, Math.min(100, percent)), message);
        return true;
    }

    /** A processor that publishes fixed progress. */
    public static Processor at(int percent, String message) {
        return exchange -> report(exchange, percent, message);
    }

    /** A processor that publishes the {@code CamelSandaiProgress} / {@code CamelSandaiProgressMessage} headers. */
    public static Processor fromHeaders() {
        return exchange -> {
            Integer percent = exchange.getMessage().getHeader(SandaiConstants.PROGRESS, Integer.class);
            if (percent != null) {
                report(exchange, percent, exchange.getMessage().getHeader(SandaiConstants.PROGRESS_MESSAGE, String.class));
            }
        };
    }
}
