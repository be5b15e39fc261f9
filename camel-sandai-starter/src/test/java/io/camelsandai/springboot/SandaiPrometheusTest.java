package io.camelsandai.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.camelsandai.testsupport.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandai meters as Prometheus scrapes them: a started Spring Boot app with a real HTTP server, one call through
 * a {@code sandai:} producer served by a {@code sandai:} consumer route, then {@code GET /actuator/prometheus}.
 */
@SpringBootTest(classes = SandaiPrometheusTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "camel.main.name=sandai-prometheus-test",
                "camel.component.sandai.timeout=20s",
                "management.endpoints.web.exposure.include=health,prometheus",
                // @SpringBootTest turns metrics export off by default; this test is about that export
                "management.prometheus.metrics.export.enabled=true" })
class SandaiPrometheusTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("camel.component.sandai.broker-url", REDIS::url);
    }

    @SpringBootApplication
    static class App {
        @Bean
        RouteBuilder promRoutes() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("sandai:prom:v1").routeId("prom-operator")
                            .setBody(constant(Map.of("artifacts", List.of(), "results", Map.of("ok", true))));
                    from("direct:call-prom").routeId("call-prom").to("sandai:prom:v1");
                }
            };
        }
    }

    @Autowired
    ProducerTemplate producer;
    @Autowired
    Environment environment;

    @Test
    void theSandaiMetersAreScrapedFromActuatorPrometheus() throws Exception {
        producer.requestBody("direct:call-prom", Map.of("options", Map.of()), Map.class);

        String port = environment.getProperty("local.server.port");
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/prometheus")).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        String text = scrape.body();
        // client side: sent, succeeded, send-to-result time; operator side: the same plus queue wait; both: pools
        assertThat(text).containsPattern("(?m)^sandai_tasks_sent_total\\{.*role=\"client\".*\\} 1\\.0$");
        assertThat(text).containsPattern("(?m)^sandai_tasks_succeeded_total\\{.*role=\"client\".*\\} 1\\.0$");
        assertThat(text).containsPattern("(?m)^sandai_tasks_succeeded_total\\{.*role=\"operator\".*\\} 1\\.0$");
        assertThat(text).containsPattern("(?m)^sandai_tasks_duration_seconds_count\\{.*operator=\"prom\".*\\} 1$");
        assertThat(text).containsPattern("(?m)^sandai_tasks_queue_wait_seconds_count\\{.*\\} 1$");
        assertThat(text).containsPattern("(?m)^sandai_tasks_in_flight\\{.*\\} 0\\.0$");
        assertThat(text).containsPattern("(?m)^sandai_pool_max\\{.*\\} \\d+\\.0$");
    }
}
