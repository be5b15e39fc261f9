package io.camelsandai.component;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.camelsandai.client.OperatorClient;

/** Readiness of a producer: the broker answers PING. */
public class SandaiProducerHealthCheck extends AbstractHealthCheck {
    private final OperatorClient client;

    public SandaiProducerHealthCheck(OperatorClient client, String id) {
        super("camel", id);
        this.client = client;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("operator", client.name() + ":" + client.version());
        if (client.brokerAvailable()) {
            builder.up();
        } else {
            // The broker URL is shown sanitized (RedisUrl and AmqpUrl mask the password).
            builder.detail("broker", client.settings().brokerLocation());
            builder.message(client.settings().isAmqpBroker() ? "RabbitMQ broker is not connected"
                    : "Redis broker does not answer PING");
            builder.down();
        }
    }
}
