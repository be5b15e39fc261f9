package io.camelsandai.examples;

import java.util.List;
import java.util.Map;

import org.apache.camel.builder.RouteBuilder;

/**
 * Batch calls: {@code direct:text-stats-batch} takes a list of texts, sends one {@code text-stats} task per text with
 * {@code operation=batch}, waits for all of them at once, and answers one entry per text, in input order:
 * {@code {index, task_id, status, artifacts, results, error}}. One failing entry never hides the others; a null text
 * here makes one on purpose (the operator refuses it with error.type InvalidOptions).
 */
public class BatchCallRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:text-stats-batch").routeId("batch-text-stats")
                .setBody(exchange -> requests(exchange.getMessage().getBody(List.class)))
                .to("sandai:text-stats:v1?brokerUrl={{sandai.broker-url}}&operation=batch&timeout=30s");
    }

    static List<Map<String, Object>> requests(List<?> texts) {
        return texts.stream()
                .map(text -> text == null ? Map.<String, Object>of("options", Map.of())
                        : Map.<String, Object>of("options", Map.of("text", text)))
                .toList();
    }
}
