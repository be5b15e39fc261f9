package io.camelsandai.examples;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.Test;

import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The operator route answers a plain Java client (no Camel on the caller's side) and describes itself. */
class TextStatsOperatorRouteTest extends ExampleTestSupport {

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new TextStatsOperatorRoute();
    }

    private static OperatorClient client() {
        return OperatorClient.create("text-stats", "v1", OperatorSettings.builder().brokerUrl(REDIS.url()).build());
    }

    @Test
    void countsWordsForAPlainJavaCaller() {
        try (OperatorClient client = client()) {
            OperatorResult result = client.call(OperatorRequest.of(List.of(), Map.of("text", "  one two  three ")),
                    CallOptions.timeout(Duration.ofSeconds(30)));
            assertEquals(3L, ((Number) result.results().get("words")).longValue());
            assertEquals(17L, ((Number) result.results().get("chars")).longValue());
        }
    }

    @Test
    void missingTextIsATypedNonRetryableFailure() {
        try (OperatorClient client = client()) {
            TaskExecutionException failed = assertThrows(TaskExecutionException.class,
                    () -> client.call(OperatorRequest.of(List.of(), Map.of()), CallOptions.timeout(Duration.ofSeconds(30))));
            assertEquals("InvalidOptions", failed.errorType());
            assertFalse(failed.isRetryable());
        }
    }

    @Test
    void descAnswersTheEndpointsDescOptions() {
        try (OperatorClient client = client()) {
            Map<String, Object> desc = client.desc();
            assertEquals("Counts the words and characters of options.text", desc.get("description"));
            @SuppressWarnings("unchecked")
            Map<String, Object> schema = (Map<String, Object>) desc.get("options_schema");
            assertEquals(List.of("text"), schema.get("required"));
        }
    }
}
