package io.camelsandai.telemetry;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.telemetry.Span;
import org.apache.camel.telemetry.decorators.AbstractMessagingSpanDecorator;

import io.camelsandai.component.SandaiConstants;
import io.camelsandai.component.SandaiEndpoint;
import io.camelsandai.model.Priority;

/**
 * The {@code sandai} span decorator for Camel's own tracing (camel-telemetry, e.g. camel-opentelemetry2), found by
 * its ServiceLoader through {@code META-INF/services/org.apache.camel.telemetry.SpanDecorator}. Only loaded when
 * camel-telemetry is on the classpath.
 * <p>
 * The span is named after the queue ({@code <priority>.<operator>.<version>}), as messaging decorators name it after
 * the destination, and carries the same attributes as the library's own send/run spans.
 */
public class SandaiSpanDecorator extends AbstractMessagingSpanDecorator {
    static final String SYSTEM = "celery";

    @Override
    public String getComponent() {
        return "sandai";
    }

    @Override
    public String getComponentClassName() {
        return "io.camelsandai.component.SandaiComponent";
    }

    @Override
    protected String getDestination(Exchange exchange, Endpoint endpoint) {
        if (!(endpoint instanceof SandaiEndpoint sandai)) {
            return super.getDestination(exchange, endpoint);
        }
        return priority(exchange, sandai) + "." + sandai.getOperatorName() + "." + sandai.getOperatorVersion();
    }

    @Override
    protected String getMessageId(Exchange exchange) {
        return exchange.getMessage().getHeader(SandaiConstants.TASK_ID, String.class);
    }

    @Override
    public void beforeTracingEvent(Span span, Exchange exchange, Endpoint endpoint) {
        super.beforeTracingEvent(span, exchange, endpoint);
        span.setTag("messaging.system", SYSTEM);
        if (endpoint instanceof SandaiEndpoint sandai) {
            span.setTag("sandai.operator.name", sandai.getOperatorName());
            span.setTag("sandai.operator.version", sandai.getOperatorVersion());
            span.setTag("sandai.priority", priority(exchange, sandai));
        }
    }

    @Override
    public void afterTracingEvent(Span span, Exchange exchange) {
        super.afterTracingEvent(span, exchange);
        // A producer learns the task id and the outcome only once the call is done.
        String taskId = getMessageId(exchange);
        if (taskId != null) {
            span.setTag("messaging.message.id", taskId);
        }
        String status = exchange.getMessage().getHeader(SandaiConstants.STATUS, String.class);
        if (status != null) {
            span.setTag("sandai.task.status", status);
        }
    }

    private static String priority(Exchange exchange, SandaiEndpoint endpoint) {
        String header = exchange.getMessage().getHeader(SandaiConstants.PRIORITY, String.class);
        String configured = header != null ? header : endpoint.getConfiguration().getPriority();
        try {
            return configured == null ? Priority.NORMAL.wireName() : Priority.parse(configured).wireName();
        } catch (RuntimeException e) {
            return configured;
        }
    }
}
