package io.camelsandai.operator;

import io.camelsandai.client.OperatorSettings;

/**
 * A runtime on RabbitMQ alone in its own JVM, for the kill test: {@code <amqp url> <redis url> <concurrency>}.
 * Each task takes 20 ms, so that tasks are in flight whenever the process is killed.
 */
public final class AmqpRuntimeProcessMain {
    private AmqpRuntimeProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        OperatorRuntimeSettings settings = OperatorRuntimeSettings.builder(RuntimeFixture.OPERATOR,
                        RuntimeFixture.VERSION)
                .connection(OperatorSettings.builder().brokerUrl(args[1]).environment(k -> null).build())
                .amqpBrokerUrl(args[0]).remoteControl(false)
                .concurrency(Integer.parseInt(args[2]))
                .build();
        RuntimeProcessMain.runUntilKilled(settings);
    }
}
