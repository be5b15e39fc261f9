package io.camelsandai.springboot;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import io.camelsandai.client.OperatorClient;

/**
 * Readiness of the brokers of the shared {@link OperatorClient} beans: UP when every broker answers PING, DOWN
 * naming the operators whose broker does not (URLs shown with the password masked), UNKNOWN when none is configured.
 * The routes' producers and consumers report through Camel's own health checks ({@code camelHealth}).
 */
public class SandaiHealthIndicator extends AbstractHealthIndicator {
    private final Map<String, OperatorClient> clients;

    public SandaiHealthIndicator(Map<String, OperatorClient> clients) {
        super("Sandai broker health check failed");
        this.clients = clients;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (clients.isEmpty()) {
            builder.unknown().withDetail("operators", "none configured under sandai.operators");
            return;
        }
        boolean allUp = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (Map.Entry<String, OperatorClient> entry : clients.entrySet()) {
            OperatorClient client = entry.getValue();
            boolean up = client.broker().ping();
            allUp &= up;
            details.put(entry.getKey(), Map.of("operator", client.name() + ":" + client.version(),
                    "broker", String.valueOf(client.broker().url()), "status", up ? "UP" : "DOWN"));
        }
        (allUp ? builder.up() : builder.down()).withDetails(details);
    }
}
