package io.camelsandai.examples;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.Test;

import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.component.SandaiConstants;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Calls text-stats through the example producer routes; the example operator route answers through Redis. */
class CallOperatorRoutesTest extends ExampleTestSupport {

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        return new RoutesBuilder[] { new TextStatsOperatorRoute(), new CallOperatorRoutes() };
    }

    @Test
    void inOutWaitsForTheResults() {
        Exchange reply = template.request("direct:text-stats", e -> e.getMessage().setBody("hello sandai world"));
        assertEquals(Map.of("words", 3L, "chars", 18L), reply.getMessage().getBody(Map.class));
        assertEquals("success", reply.getMessage().getHeader(SandaiConstants.STATUS));
        assertEquals(10, reply.getMessage().getHeader(SandaiConstants.PROGRESS), "the operator's last PROGRESS");
    }

    @Test
    void inOnlyReturnsTheTaskIdAndTheTaskRunsAnyway() {
        Exchange sent = template.send("direct:text-stats-later", e -> e.getMessage().setBody("later please"));
        String taskId = sent.getMessage().getHeader(SandaiConstants.TASK_ID, String.class);
        assertNotNull(taskId);
        try (OperatorClient client = OperatorClient.create("text-stats", "v1",
                OperatorSettings.builder().brokerUrl(REDIS.url()).build())) {
            OperatorResult result = client.handle(taskId).get(Duration.ofSeconds(30));
            assertEquals(2L, ((Number) result.results().get("words")).longValue());
        }
    }

    @Test
    void aFailedTaskFailsTheExchangeWithTheOperatorsError() {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("direct:text-stats", (Object) null));
        TaskExecutionException failed = assertInstanceOf(TaskExecutionException.class, e.getCause());
        assertEquals("InvalidOptions", failed.errorType());
    }
}
