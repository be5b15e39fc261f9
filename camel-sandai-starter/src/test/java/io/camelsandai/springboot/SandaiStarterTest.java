package io.camelsandai.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.component.SandaiComponent;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.testsupport.RedisServerExtension;

/**
 * A Spring Boot application on a private real Redis: a {@code sandai:} consumer route serves operator
 * {@code echo:v1}; it is called through the shared {@link OperatorClient} bean and through a producer route. The
 * broker URL reaches the component only through {@code camel.component.sandai.broker-url}.
 */
@SpringBootTest(classes = SandaiStarterTest.App.class, properties = {
        "camel.main.name=sandai-starter-test",
        "camel.component.sandai.priority=high",
        "camel.component.sandai.timeout=20",
        "camel.component.sandai.concurrency=2",
        "sandai.operators.echo.version=v1",
        "sandai.operators.echo.timeout=25",
        "management.endpoint.health.show-details=always",
        "camel.health.enabled=true",
        "camel.health.consumers-enabled=true",
        "camel.health.producers-enabled=true" })
class SandaiStarterTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("camel.component.sandai.broker-url", REDIS::url);
    }

    @SpringBootApplication
    static class App {
        @Bean
        RouteBuilder sandaiRoutes() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    // Being the operator: answer {"echo": <text>, "by": "spring"}.
                    from("sandai:echo:v1").routeId("echo-operator")
                            .process(e -> {
                                OperatorRequest request = e.getMessage().getBody(OperatorRequest.class);
                                e.getMessage().setBody(Map.of("results",
                                        Map.of("echo", request.options().get("text"), "by", "spring")));
                            });
                    // Calling it from a route.
                    from("direct:call-echo").routeId("call-echo").to("sandai:echo:v1");
                }
            };
        }
    }

    @Autowired
    CamelContext camelContext;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    @Qualifier("echo")
    OperatorClient echoClient;
    @Autowired
    ApplicationContext context;
    @Autowired
    MeterRegistry meters;

    @Test
    void componentGetsTheSpringProperties() {
        SandaiComponent component = camelContext.getComponent("sandai", SandaiComponent.class);
        assertThat(component.getConfiguration().getBrokerUrl()).isEqualTo(REDIS.url());
        assertThat(component.getConfiguration().getPriority()).isEqualTo("high");
        // A bare number is seconds here too (Spring's own Duration binding would read 20 as milliseconds).
        assertThat(component.getConfiguration().timeoutDuration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(component.getConfiguration().getConcurrency()).isEqualTo(2);
    }

    @Test
    void operatorClientBeanCallsTheConsumerRoute() {
        // The client bean inherits the broker URL from camel.component.sandai.broker-url.
        assertThat(echoClient.settings().brokerUrl().toString()).isEqualTo(REDIS.url());
        assertThat(echoClient.settings().defaultTimeout()).isEqualTo(Duration.ofSeconds(25));
        OperatorResult result = echoClient.call(OperatorRequest.of(List.of(), Map.of("text", "hello")),
                CallOptions.DEFAULTS.withPriority(Priority.LOW));
        assertThat(result.isSuccess()).isTrue();
        assertThat(result.results()).containsEntry("echo", "hello").containsEntry("by", "spring");
    }

    @Test
    @SuppressWarnings("unchecked")
    void producerRouteCallsTheConsumerRoute() {
        Map<String, Object> reply = producer.requestBody("direct:call-echo", Map.of("options", Map.of("text", "route")),
                Map.class);
        assertThat((Map<String, Object>) reply.get("results")).containsEntry("echo", "route");
    }

    @Test
    void healthAndMetricsSeeTheWork() {
        producer.requestBody("direct:call-echo", Map.of("options", Map.of("text", "count me")), Map.class);

        assertThat(ActuatorHealth.status(context, "sandai")).isEqualTo("UP");
        // Camel's health checks of the consumer route and the producer are registered and UP.
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<HealthCheck> checks = registry.stream()
                    .filter(c -> c.getId().equals("consumer:echo-operator") || c.getId().startsWith("producer:sandai-echo-v1"))
                    .toList();
            assertThat(checks).extracting(HealthCheck::getId).anyMatch(id -> id.startsWith("consumer:"))
                    .anyMatch(id -> id.startsWith("producer:"));
            assertThat(checks).allSatisfy(c -> assertThat(c.call().getState()).isEqualTo(HealthCheck.State.UP));
        });
        // ... and reach actuator through camel-spring-boot's indicator.
        assertThat(ActuatorHealth.status(context, "camelHealth")).isEqualTo("UP");

        assertThat(meters.find("sandai.tasks.sent").tag("role", "client").tag("operator", "echo").counters())
                .isNotEmpty();
        assertThat(meters.find("sandai.tasks.succeeded").tag("role", "client").counter().count()).isGreaterThan(0);
        assertThat(meters.find("sandai.pool.max").gauges()).isNotEmpty();
        // The operator side (the consumer route's runtime) reports too.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                meters.find("sandai.tasks.succeeded").tag("role", "operator").tag("operator", "echo").counter().count())
                .isGreaterThan(0));
        assertThat(meters.find("sandai.tasks.queue.wait").tag("role", "operator").timer().count()).isGreaterThan(0);
        assertThat(meters.find("sandai.tasks.in.flight").tag("role", "operator").gauge().value()).isZero();
    }
}
