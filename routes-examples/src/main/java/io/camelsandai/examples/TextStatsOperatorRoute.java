package io.camelsandai.examples;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import io.camelsandai.component.SandaiProgress;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.operator.OperatorFailure;

/**
 * Being an operator: this route serves {@code text-stats} {@code v1}. Any Sandai client (this component's producer,
 * the plain Java {@code OperatorClient}, or the Python client) can call it through Redis.
 *
 * <p>The endpoint's desc options ({@code description}, {@code inputSlots}, {@code outputSlots}, {@code optionsSchema})
 * are what a {@code desc} call answers, so callers can discover how to use the operator. The property
 * {@code sandai.broker-url} names the Redis (e.g. {@code redis://localhost:6379/0}).
 */
public class TextStatsOperatorRoute extends RouteBuilder {
    public static final String OPERATOR_URI = "sandai:text-stats:v1?brokerUrl={{sandai.broker-url}}"
                                              + "&concurrency=2"
                                              + "&description=RAW(Counts the words and characters of options.text)"
                                              + "&optionsSchema=classpath:schemas/text-stats-options.json";

    @Override
    public void configure() {
        from(OPERATOR_URI).routeId("text-stats")
                // The body is the task's OperatorRequest (input_artifacts, options, meta).
                .process(SandaiProgress.at(10, "counting")) // callers waiting on the task see this PROGRESS
                .process(TextStatsOperatorRoute::count);
        // Whatever the route leaves in the body becomes the task's result: here {"results": {...}}.
    }

    static void count(Exchange exchange) {
        OperatorRequest request = exchange.getMessage().getBody(OperatorRequest.class);
        if (!(request.options().get("text") instanceof String text)) {
            // A typed failure: the caller gets status "failed" with error.type InvalidOptions, not retryable.
            throw new OperatorFailure("InvalidOptions", "options.text must be a string", false);
        }
        String trimmed = text.strip();
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("words", trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length);
        results.put("chars", text.length());
        exchange.getMessage().setBody(Map.of("results", results));
    }
}
