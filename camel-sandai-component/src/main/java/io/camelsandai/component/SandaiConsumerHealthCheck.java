package io.camelsandai.component;

import java.util.Map;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.camelsandai.operator.OperatorRuntime;

/**
 * Health of a consumer: liveness is "the taking loop runs", readiness is "Redis answered the last attempt". Id
 * {@code consumer:sandai-<routeId>}.
 */
public class SandaiConsumerHealthCheck extends AbstractHealthCheck {
    private final SandaiConsumer consumer;

    public SandaiConsumerHealthCheck(SandaiConsumer consumer, String routeId) {
        super("camel", "consumer:sandai-" + routeId);
        this.consumer = consumer;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        OperatorRuntime runtime = consumer.getRuntime();
        boolean liveness = options.get(HealthCheck.CHECK_KIND) == HealthCheck.Kind.LIVENESS;
        if (runtime == null) {
            builder.message("consumer is not started");
            builder.down();
            return;
        }
        if (liveness) {
            if (runtime.isLoopAlive()) {
                builder.up();
            } else {
                builder.message("the task loop is not running");
                builder.down();
            }
        } else if (runtime.isRedisReachable()) {
            builder.up();
        } else {
            builder.message(runtime.settings().amqpBroker() != null ? "RabbitMQ is not reachable"
                    : "Redis is not reachable");
            builder.down();
        }
    }
}
