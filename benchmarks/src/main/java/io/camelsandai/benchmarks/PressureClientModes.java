package io.camelsandai.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.OperatorRequest;

/**
 * The seed's four client modes of the pressure scenario (240 requests), shared by the client and the worker
 * benchmarks so both measure exactly the same callers.
 */
public final class PressureClientModes {
    public static final int REQUESTS = 240;

    /** One way of sending the 240 requests to {@code operator:version}. */
    public interface Mode {
        void run(OperatorSettings settings, String operator, String version) throws Exception;
    }

    /** A named mode with its floor: the fastest it could be with a 150 ms, 32-slot operator. */
    public record NamedMode(String name, boolean async, Mode mode) {
    }

    private PressureClientModes() {
    }

    public static List<NamedMode> all() {
        return List.of(
                new NamedMode("sync-shared-client (24 threads)", false, (s, o, v) -> syncShared(s, o, v, 24)),
                new NamedMode("sync-thread-local-clients (24)", false, (s, o, v) -> syncThreadLocal(s, o, v, 24)),
                new NamedMode("async-single (96 in flight)", true, (s, o, v) -> asyncInFlight(s, o, v, 1, 96)),
                new NamedMode("async-multi (4 x 24)", true, (s, o, v) -> asyncInFlight(s, o, v, 4, 24)));
    }

    /** {@code REQUESTS / callers × delay}: each sync caller waits for one task at a time. */
    public static double syncFloorSeconds(long delayMillis) {
        return REQUESTS / 24.0 * delayMillis / 1000;
    }

    /** {@code REQUESTS / slots × delay}: operator-bound. */
    public static double asyncFloorSeconds(int slots, long delayMillis) {
        return REQUESTS / (double) slots * delayMillis / 1000;
    }

    public static OperatorRequest request(int i) {
        return OperatorRequest.of(List.of(), Map.of("i", i));
    }

    static void syncShared(OperatorSettings settings, String operator, String version, int threads) throws Exception {
        try (OperatorClient client = OperatorClient.create(operator, version, settings)) {
            onThreads(threads, t -> {
                for (int i = t; i < REQUESTS; i += threads) {
                    client.call(request(i), CallOptions.DEFAULTS);
                }
            });
        }
    }

    static void syncThreadLocal(OperatorSettings settings, String operator, String version, int threads) throws Exception {
        onThreads(threads, t -> {
            try (OperatorClient client = OperatorClient.create(operator, version, settings)) {
                for (int i = t; i < REQUESTS; i += threads) {
                    client.call(request(i), CallOptions.DEFAULTS);
                }
            }
        });
    }

    static void asyncInFlight(OperatorSettings settings, String operator, String version, int clients, int inFlightEach)
            throws Exception {
        onThreads(clients, t -> {
            try (OperatorClient client = OperatorClient.create(operator, version, settings)) {
                Semaphore window = new Semaphore(inFlightEach);
                List<CompletableFuture<?>> calls = new ArrayList<>();
                for (int i = t; i < REQUESTS; i += clients) {
                    window.acquireUninterruptibly();
                    calls.add(client.callAsync(request(i), CallOptions.DEFAULTS, null)
                            .whenComplete((r, e) -> window.release()));
                }
                calls.forEach(CompletableFuture::join);
            }
        });
    }

    interface Body {
        void run(int index) throws Exception;
    }

    static void onThreads(int n, Body body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                int index = t;
                futures.add(pool.submit(() -> {
                    body.run(index);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
