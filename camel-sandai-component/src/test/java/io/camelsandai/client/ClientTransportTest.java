package io.camelsandai.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.testsupport.CeleryWorker;
import io.camelsandai.testsupport.CeleryWorkerOptions;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.transport.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bounded, shared, named connections, and recovery when Redis comes back. */
class ClientTransportTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    /** Upper bound on CLIENT LIST samples (a few ms each) while the 200 calls run. */
    private static final int MAX_SAMPLES = 20_000;

    private static int connectionsNamed(String prefix) {
        try (Jedis admin = REDIS.newJedis()) {
            int n = 0;
            for (String line : admin.clientList().split("\n")) {
                if (line.contains(" name=" + prefix)) {
                    n++;
                }
            }
            return n;
        }
    }

    @Test
    void twoHundredConcurrentCallsStayWithinTheBackendBudgetAndReleaseEverything() throws InterruptedException {
        try (CeleryWorker worker = PYTHON.startWorker(CeleryWorkerOptions.builder().redis(REDIS)
                .operator("pool-op", "v1").pool(CeleryWorkerOptions.Pool.THREADS).concurrency(16).build());
             OperatorClient client = OperatorClient.create("pool-op", "v1", OperatorSettings.builder()
                     .brokerUrl(REDIS.url()).brokerPoolLimit(8).backendPoolLimit(8).backendPollConcurrency(4)
                     .defaultTimeout(Duration.ofSeconds(60)).build())) {
            AtomicInteger peak = new AtomicInteger();
            AtomicInteger samples = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            // CLIENT LIST while the calls run: bounded in count, and stopped in finally whatever happens
            Thread sampler = new Thread(() -> {
                for (int i = 0; i < MAX_SAMPLES && running.get(); i++) {
                    peak.accumulateAndGet(connectionsNamed("sandai-backend"), Math::max);
                    samples.incrementAndGet();
                }
            }, "client-list-sampler");
            sampler.setDaemon(true);
            sampler.start();
            try {
                List<CompletableFuture<OperatorResult>> calls = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    calls.add(client.callAsync(OperatorRequest.of(List.of(), Map.of("i", i)), CallOptions.DEFAULTS,
                            null));
                }
                calls.forEach(c -> assertTrue(c.join().isSuccess()));
            } finally {
                running.set(false);
                sampler.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertFalse(sampler.isAlive(), "the sampler stopped");
            assertTrue(samples.get() > 0, "CLIENT LIST was sampled while the calls ran");
            assertTrue(peak.get() >= 1, "the sampler saw the waiter connection");
            assertTrue(peak.get() <= 4, "backend connections peaked at " + peak.get() + ", budget is 4");
            assertTrue(connectionsNamed("sandai-broker") <= 8);
        }
        assertEquals(0, Transports.liveResources());
        await().atMost(Duration.ofSeconds(5)).until(() -> connectionsNamed("sandai-") == 0);
    }

    @Test
    void clientsShareResourcesOnlyWhenTheWholeKeyMatches() {
        OperatorSettings settings = OperatorSettings.builder().brokerUrl(REDIS.url()).build();
        try (OperatorClient a = OperatorClient.create("op-a", "v1", settings);
             OperatorClient a2 = OperatorClient.create("op-a", "v1", settings);
             OperatorClient b = OperatorClient.create("op-b", "v1", settings);
             OperatorClient otherLimit = OperatorClient.create("op-a", "v1", OperatorSettings.builder()
                     .brokerUrl(REDIS.url()).backendPollConcurrency(2).build())) {
            assertSame(a.broker(), a2.broker());
            assertSame(a.backend(), a2.backend());
            assertFalse(a.broker() == b.broker(), "default scope is the operator");
            assertSame(a.broker(), otherLimit.broker(), "poll concurrency is not part of the broker key");
            assertFalse(a.backend() == otherLimit.backend(), "poll concurrency is part of the backend key");
        }
        OperatorSettings process = OperatorSettings.builder().brokerUrl(REDIS.url()).sharedTransportScope("process")
                .build();
        try (OperatorClient a = OperatorClient.create("op-a", "v1", process);
             OperatorClient b = OperatorClient.create("op-b", "v1", process)) {
            assertSame(a.broker(), b.broker());
        }
        assertEquals(0, Transports.liveResources());
    }

    @Test
    void recoversWhenRedisComesBack() {
        org.junit.jupiter.api.Assumptions.assumeTrue(REDIS.supportsRestart());
        try (OperatorClient client = OperatorClient.create("restart-op", "v1", OperatorSettings.builder()
                .brokerUrl(REDIS.url()).defaultTimeout(Duration.ofSeconds(30)).build())) {
            assertTrue(client.ping());
            REDIS.stop();
            assertFalse(client.ping());
            REDIS.start();
            await().atMost(Duration.ofSeconds(10)).until(client::ping);
            try (CeleryWorker worker = PYTHON.startWorker(CeleryWorkerOptions.builder().redis(REDIS)
                    .operator("restart-op", "v1").build())) {
                assertTrue(client.call(OperatorRequest.of(List.of(), Map.of()), CallOptions.DEFAULTS).isSuccess());
            }
        }
    }
}
