package io.camelsandai.springboot;

import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.camelsandai.client.OperatorClient;

/**
 * Readiness of the brokers of the shared {@link OperatorClient} beans, as {@link SandaiBrokerHealth} probes them.
 * The routes' producers and consumers report through Camel's own health checks ({@code camelHealth}).
 * <p>
 * Spring Boot 4 line: this file and {@link SandaiHealthAutoConfiguration} are the only per-line sources (Spring
 * Boot 4 moved the health API to {@code org.springframework.boot.health}); keep both lines' copies alike.
 */
public class SandaiHealthIndicator extends AbstractHealthIndicator {
    private final Map<String, OperatorClient> clients;

    public SandaiHealthIndicator(Map<String, OperatorClient> clients) {
        super("Sandai broker health check failed");
        this.clients = clients;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        SandaiBrokerHealth.Report report = SandaiBrokerHealth.probe(clients);
        builder.status(report.state().name()).withDetails(report.details());
    }
}
