package io.camelsandai.benchmarks.worker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.camelsandai.benchmarks.PressureClientModes;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.operator.OperatorHandler;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.operator.OperatorRuntimeSettings;

/**
 * The seed's pressure scenario (240 requests) served by our Java worker: an {@link OperatorRuntime} with 32 slots
 * whose handler completes 150 ms later from a timer (a scheduled completion, no thread parked per task). The client
 * modes are those of {@code PressureBenchmark}; the floors are 240/24 x 0.15 = 1.5 s for 24 synchronous callers and
 * 240/32 x 0.15 = 1.125 s when 96 calls in flight make the 32 slots the limit.
 */
final class PressureScenario implements AutoCloseable {
    static final int REQUESTS = 240;
    static final int SLOTS = 32;
    static final long DELAY_MILLIS = 150;
    static final double SYNC_FLOOR = REQUESTS / 24.0 * DELAY_MILLIS / 1000;
    static final double ASYNC_FLOOR = REQUESTS / (double) SLOTS * DELAY_MILLIS / 1000;
    static final String OPERATOR = "pressure-op";
    static final String VERSION = "v1";

    record Mode(String name, double floorSeconds, ClientRun run) {
    }

    record Outcome(Mode mode, double[] seconds) {
        double median() {
            double[] s = seconds.clone();
            Arrays.sort(s);
            return s[s.length / 2];
        }

        double best() {
            return Arrays.stream(seconds).min().orElseThrow();
        }
    }

    interface ClientRun {
        void run(OperatorSettings settings) throws Exception;
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pressure-handler-timer");
        t.setDaemon(true);
        return t;
    });
    private final OperatorRuntime runtime;
    private final OperatorSettings settings;

    PressureScenario(OperatorSettings settings) {
        this.settings = settings;
        OperatorResult done = OperatorResult.success(List.of(), Map.of("ok", true));
        OperatorHandler delayed = task -> {
            CompletableFuture<OperatorResult> result = new CompletableFuture<>();
            timer.schedule(() -> result.complete(done), DELAY_MILLIS, TimeUnit.MILLISECONDS);
            return result;
        };
        runtime = new OperatorRuntime(OperatorRuntimeSettings.builder(OPERATOR, VERSION).connection(settings)
                .concurrency(SLOTS).build(), delayed);
        runtime.start();
    }

    static List<Mode> modes() {
        List<Mode> modes = new ArrayList<>();
        for (PressureClientModes.NamedMode m : PressureClientModes.all()) {
            modes.add(new Mode(m.name(), m.async() ? ASYNC_FLOOR : SYNC_FLOOR,
                    settings -> m.mode().run(settings, OPERATOR, VERSION)));
        }
        return modes;
    }

    Outcome measure(Mode mode, int repeats) throws Exception {
        double[] seconds = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            mode.run().run(settings);
            seconds[r] = (System.nanoTime() - start) / 1e9;
        }
        return new Outcome(mode, seconds);
    }

    @Override
    public void close() {
        runtime.close();
        timer.shutdownNow();
    }
}
