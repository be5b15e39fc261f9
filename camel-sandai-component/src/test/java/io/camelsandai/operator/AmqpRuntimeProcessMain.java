package io.camelsandai.operator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.OperatorResult;

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
        OperatorRuntime runtime = new OperatorRuntime(settings, task -> CompletableFuture.supplyAsync(
                () -> OperatorResult.success(List.of(), Map.of("pid", ProcessHandle.current().pid())),
                CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)));
        runtime.start();
        System.out.println("started");
        Thread.currentThread().join(); // until killed
    }
}
