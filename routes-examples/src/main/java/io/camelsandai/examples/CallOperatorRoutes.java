package io.camelsandai.examples;

import java.util.Map;

import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;

import io.camelsandai.component.SandaiConstants;

/**
 * Calling an operator (here {@code text-stats} {@code v1}, see {@link TextStatsOperatorRoute}) from a route.
 * <ul>
 * <li>{@code direct:text-stats} (InOut): plain text in; waits for the result and answers its {@code results} map,
 * e.g. {@code {words=2, chars=11}}. A failed, cancelled or late task fails the exchange with the typed exception
 * (TaskExecutionException, TaskCancelledException, TaskDeadlineExceededException, TaskTimeoutException).</li>
 * <li>{@code direct:text-stats-later} (InOnly): sends the task and returns at once; header {@code CamelSandaiTaskId}
 * names it, for whoever collects the result later.</li>
 * </ul>
 */
public class CallOperatorRoutes extends RouteBuilder {
    private static final String TEXT_STATS = "sandai:text-stats:v1?brokerUrl={{sandai.broker-url}}";

    @Override
    public void configure() {
        from("direct:text-stats").routeId("call-text-stats")
                .setBody(exchange -> request(exchange.getMessage().getBody(String.class)))
                // Per-message headers override the endpoint's priority / timeout / cancel key.
                .setHeader(SandaiConstants.PRIORITY, constant("high"))
                .to(TEXT_STATS + "&timeout=30")                   // 30 seconds: a bare number is seconds
                // Reply body: {"artifacts": [...], "results": {...}}; header CamelSandaiStatus is "success".
                .setBody(simple("${body[results]}"));

        from("direct:text-stats-later").routeId("send-text-stats")
                .setBody(exchange -> request(exchange.getMessage().getBody(String.class)))
                // InOnly: fire and forget. The timeout still becomes the task's deadline.
                .to(ExchangePattern.InOnly, TEXT_STATS + "&priority=low&timeout=5m");
    }

    /**
     * The operator request: {"input_artifacts": [...], "options": {...}}; text-stats only needs options.text (without
     * it, as for a null body, the operator answers a failed result).
     */
    static Map<String, Object> request(String text) {
        return Map.of("options", text == null ? Map.of() : Map.of("text", text));
    }
}
