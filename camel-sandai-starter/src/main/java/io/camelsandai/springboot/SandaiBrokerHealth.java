package io.camelsandai.springboot;

import java.util.LinkedHashMap;
import java.util.Map;

import io.camelsandai.client.OperatorClient;

/**
 * The broker probe behind the {@code sandai} health contributor. It knows nothing of Spring Boot's health API, whose
 * package moved in Spring Boot 4, so both lines' {@link SandaiHealthIndicator} adapters share it.
 */
final class SandaiBrokerHealth {

    /** Status codes as actuator spells them. */
    enum State { UP, DOWN, UNKNOWN }

    record Report(State state, Map<String, Object> details) {
    }

    private SandaiBrokerHealth() {
    }

    /**
     * UP when every broker answers PING, DOWN naming the operators whose broker does not (URLs shown with the password
     * masked), UNKNOWN when none is configured.
     */
    static Report probe(Map<String, OperatorClient> clients) {
        if (clients.isEmpty()) {
            return new Report(State.UNKNOWN, Map.of("operators", "none configured under sandai.operators"));
        }
        boolean allUp = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (Map.Entry<String, OperatorClient> entry : clients.entrySet()) {
            OperatorClient client = entry.getValue();
            boolean up = client.brokerAvailable();
            allUp &= up;
            details.put(entry.getKey(), Map.of("operator", client.name() + ":" + client.version(),
                    "broker", client.settings().brokerLocation(), "status", up ? "UP" : "DOWN"));
        }
        return new Report(allUp ? State.UP : State.DOWN, details);
    }
}
