package io.camelsandai.bridge.runqy;

import java.time.Duration;

import io.camelsandai.client.OperatorSettings;

/**
 * A runqy-to-Sandai worker alone in its own JVM, for the crash test: {@code <redis url> <operator> <version>
 * <lease seconds>}. It takes from queue {@code inference} until the test kills it.
 */
public final class RunqyWorkerProcessMain {
    private RunqyWorkerProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        RunqyWorkerSettings settings = RunqyWorkerSettings.builder(args[0], args[1], args[2])
                .queue("inference").concurrency(1).pollInterval(Duration.ofMillis(50))
                .lease(Duration.ofSeconds(Long.parseLong(args[3])))
                .operatorSettings(OperatorSettings.builder().brokerUrl(args[0]).environment(k -> null)
                        .defaultTimeout(Duration.ofSeconds(30)).build())
                .build();
        new RunqyToSandaiWorker(settings).start();
        System.out.println("started");
        Thread.currentThread().join(); // until killed
    }
}
