package io.camelsandai.component;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RabbitMqExtension;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.testsupport.SendTask;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A route served as an operator from RabbitMQ ({@code brokerUrl=amqp://...}), results to Redis and to rpc://. */
class SandaiConsumerAmqpTest extends CamelTestSupport {
    @RegisterExtension
    static final RabbitMqExtension RABBIT = RabbitMqExtension.create();
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("sandai:echo-op:v1?brokerUrl=RAW(" + RABBIT.url() + ")&resultBackendUrl=" + REDIS.url()
                     + "&concurrency=2&shutdownTimeout=5s").routeId("on-redis-results")
                        .process(SandaiConsumerAmqpTest::serve);
                from("sandai:echo-rpc:v1?brokerUrl=RAW(" + RABBIT.url() + ")&resultBackendUrl=rpc://"
                     + "&concurrency=2&shutdownTimeout=5s").routeId("on-rpc-results")
                        .process(SandaiConsumerAmqpTest::serve);
            }
        };
    }

    private static void serve(Exchange exchange) {
        OperatorRequest request = exchange.getMessage().getBody(OperatorRequest.class);
        exchange.getMessage().setBody(Map.of("echo", request.options()));
    }

    @Test
    void stockCeleryClientCallsTheRouteOverRabbitMqWithBothBackends() {
        for (String[] c : new String[][]{{"echo-op", REDIS.url()}, {"echo-rpc", "rpc://"}}) {
            JsonNode line = PYTHON.sendTask(SendTask.to(RABBIT.url(), "high." + c[0] + ".v1").backend(c[1])
                    .kwargs(Map.of("options", Map.of("n", 7))).timeout(Duration.ofSeconds(20))).line(0);
            assertEquals("SUCCESS", line.at("/state").asText(), line.toString());
            assertEquals("success", line.at("/result/status").asText(), line.toString());
            assertEquals(7, line.at("/result/results/value/echo/n").asInt(), line.toString());
        }
    }

    @Test
    void healthChecksFollowTheRabbitMqConnection() {
        SandaiConsumer consumer = (SandaiConsumer) context.getRoute("on-redis-results").getConsumer();
        HealthCheck check = ((HealthCheckAware) consumer).getHealthCheck();
        await().atMost(Duration.ofSeconds(10)).until(() -> check.callLiveness().getState() == HealthCheck.State.UP);
        await().atMost(Duration.ofSeconds(10)).until(() -> check.callReadiness().getState() == HealthCheck.State.UP);
        RABBIT.closeAllConnections("test: readiness");
        // down while the connection is away or being recovered, then up again; liveness stays up throughout
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> check.callReadiness().getState() == HealthCheck.State.UP
                             && check.callLiveness().getState() == HealthCheck.State.UP);
    }
}
