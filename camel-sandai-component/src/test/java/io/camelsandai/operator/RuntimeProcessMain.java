package io.camelsandai.operator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.OperatorResult;

/**
 * A runtime alone in its own JVM, for the kill test: {@code <redis url> <visibility seconds> <concurrency>}.
 * Each task takes a few milliseconds, so that many are in flight when the process is killed.
 */
public final class RuntimeProcessMain {
    private RuntimeProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        OperatorRuntimeSettings settings = OperatorRuntimeSettings.builder(RuntimeFixture.OPERATOR, RuntimeFixture.VERSION)
                .connection(OperatorSettings.builder().brokerUrl(args[0]).environment(k -> null).build())
                .visibilityTimeout(Duration.ofSeconds(Long.parseLong(args[1])))
                .concurrency(Integer.parseInt(args[2]))
                .build();
        runUntilKilled(settings);
    }

    /** Runs a 20 ms operator answering with this process's pid, prints "started", and waits to be killed. */
    static void runUntilKilled(OperatorRuntimeSettings settings) throws InterruptedException {
        OperatorRuntime runtime = new OperatorRuntime(settings, task -> CompletableFuture.supplyAsync(
                () -> OperatorResult.success(List.of(), Map.of("pid", ProcessHandle.current().pid())),
                CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)));
        runtime.start();
        System.out.println("started");
        Thread.currentThread().join(); // until killed
    }
}
