package io.camelsandai.operator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelsandai.codec.CeleryState;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.testsupport.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idle wake-up through one-shot (OPTIN) client tracking: pushes to a busy worker cost Redis no invalidation
 * each, an idle worker still wakes at once, also after its script was flushed. The safety wake-up is set to ten
 * minutes throughout, so only an invalidation can wake the taker within the waits below.
 */
class WakeupTrackingTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.builder().build();

    private RuntimeFixture fx;

    @BeforeEach
    void setUp() {
        fx = new RuntimeFixture(redis);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static Map<String, Object> kwargs() {
        return Map.of("input_artifacts", List.of(), "options", Map.of());
    }

    private static OperatorHandler done() {
        return task -> CompletableFuture.completedFuture(OperatorResult.success(List.of(), Map.of()));
    }

    /** Returns once every invalidation caused by earlier commands has reached the listener, not counting markers. */
    private long settledWakeupMessages(OperatorRuntime r) {
        markers++;
        // Redis writes to the listener in order: once this marker has arrived, so has anything sent before it (the
        // count then stays put: nothing else is being pushed)
        fx.jedis.publish(InvalidationListener.CHANNEL, "test-marker");
        long[] last = {-1};
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> {
            long now = r.wakeupMessages();
            boolean same = now == last[0];
            last[0] = now;
            return same;
        });
        return last[0] - markers;
    }

    private int markers;

    @Test
    void pushesToABusyWorkerCostAtMostOneInvalidation() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        OperatorRuntime r = fx.start(b -> b.concurrency(2).safetyWake(Duration.ofMinutes(10)),
                task -> CompletableFuture.supplyAsync(() -> {
                    started.incrementAndGet();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return OperatorResult.success(List.of(), Map.of());
                }));
        await().atMost(Duration.ofSeconds(5)).until(r::isWakeupTracking);
        List<String> ids = new ArrayList<>();
        ids.add(fx.send(Priority.NORMAL, kwargs()));
        ids.add(fx.send(Priority.NORMAL, kwargs()));
        await().atMost(Duration.ofSeconds(5)).until(() -> started.get() == 2); // the prefetch window is full
        long before = settledWakeupMessages(r);
        for (int i = 0; i < 30; i++) {
            ids.add(fx.send(Priority.NORMAL, kwargs())); // one LPUSH round trip each
        }
        long during = settledWakeupMessages(r) - before;
        // BCAST tracking wrote one invalidation per push here (30); one-shot tracking at most one per list
        assertTrue(during <= 1, "invalidations while busy: " + during);
        release.countDown();
        for (String id : ids) {
            assertEquals(CeleryState.SUCCESS, fx.awaitFinal(id, Duration.ofSeconds(20)).status(), id);
        }
        // idle again: the last empty take was armed, so a push wakes the worker at once
        String late = fx.send(Priority.LOW, kwargs());
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(late, Duration.ofSeconds(5)).status());
    }

    @Test
    void anIdleWorkerWakesForEachPushToAnyOfItsLists() {
        OperatorRuntime r = fx.start(b -> b.safetyWake(Duration.ofMinutes(10)), done());
        await().atMost(Duration.ofSeconds(5)).until(r::isWakeupTracking);
        for (Priority p : List.of(Priority.HIGH, Priority.NORMAL, Priority.LOW, Priority.NORMAL, Priority.HIGH)) {
            String id = fx.send(p, kwargs());
            assertEquals(CeleryState.SUCCESS, fx.awaitFinal(id, Duration.ofSeconds(5)).status(), p.name());
        }
    }

    private long calls(String command) {
        for (String line : fx.jedis.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":")) {
                return Long.parseLong(line.substring(line.indexOf(":calls=") + 7, line.indexOf(',')));
            }
        }
        return 0;
    }

    @Test
    void anIdleWorkerTakesOncePerTaskNotAgainWhenTheSlotFrees() {
        // concurrency 4: the window is never what limits a take here
        OperatorRuntime r = fx.start(b -> b.concurrency(4).safetyWake(Duration.ofMinutes(10)), done());
        await().atMost(Duration.ofSeconds(5)).until(r::isWakeupTracking);
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(fx.send(Priority.NORMAL, kwargs()), Duration.ofSeconds(5))
                .status());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> r.inFlight() == 0);
        fx.jedis.configResetStat();
        int n = 5;
        for (int i = 0; i < n; i++) {
            assertEquals(CeleryState.SUCCESS, fx.awaitFinal(fx.send(Priority.NORMAL, kwargs()), Duration.ofSeconds(5))
                    .status());
        }
        long[] takes = {0};
        // settled: no take.lua round (each runs one EXISTS) for a while after the last result
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> {
            long now = calls("exists");
            boolean same = now == takes[0];
            takes[0] = now;
            return same;
        });
        // per task one round trip: the take that finds it, with the armed EXISTS after it that finds the lists
        // empty; the freed slot adds no take. Inside take.lua, Redis 7 pops with two LMPOPs (the task, then the
        // rest found empty), an older server counts the lists with one EXISTS first
        String version = fx.jedis.info("server").lines().filter(l -> l.startsWith("redis_version:")).findFirst()
                .orElseThrow();
        if (Integer.parseInt(version.substring("redis_version:".length()).split("\\.")[0]) >= 7) {
            assertEquals(n, takes[0], "EXISTS for " + n + " sequential tasks");
            assertEquals(2L * n, calls("lmpop"), "LMPOP for " + n + " sequential tasks");
        } else {
            assertEquals(2L * n, takes[0], "EXISTS for " + n + " sequential tasks");
        }
        assertEquals(n, calls("client|caching"), "armed takes for " + n + " sequential tasks");
    }

    @Test
    void anIdleWorkersSafetyWakeUpCostsTwoCommandsAndNoScript() {
        // an earlier dead letter sits in the dead-letter list, which take.lua also names (oversize messages go there):
        // it is not a queue, so it must neither wake the worker nor keep it from sleeping
        fx.jedis.lpush("sandai.dead-letter", "{\"reason\": \"an earlier one\"}");
        OperatorRuntime r = fx.start(b -> b.safetyWake(Duration.ofMillis(100)), done());
        await().atMost(Duration.ofSeconds(5)).until(r::isWakeupTracking);
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(fx.send(Priority.NORMAL, kwargs()), Duration.ofSeconds(5))
                .status());
        await().atMost(Duration.ofSeconds(5)).until(() -> r.inFlight() == 0 && calls("client|caching") > 0);
        fx.jedis.configResetStat();
        await().atMost(Duration.ofSeconds(10)).until(() -> calls("client|caching") >= 5);
        long wakes = calls("client|caching");
        // each safety wake-up: CLIENT CACHING yes + EXISTS over the lists; take.lua only when they are not empty
        assertEquals(0, calls("evalsha"), "no take while idle");
        assertTrue(calls("exists") <= wakes + 1, "EXISTS " + calls("exists") + " for " + wakes + " wake-ups");
        String late = fx.send(Priority.HIGH, kwargs());
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(late, Duration.ofSeconds(5)).status());
    }

    @Test
    void anIdleWorkerStillWakesAfterItsScriptWasFlushed() {
        OperatorRuntime r = fx.start(b -> b.safetyWake(Duration.ofMinutes(10)), done());
        await().atMost(Duration.ofSeconds(5)).until(r::isWakeupTracking);
        String first = fx.send(Priority.NORMAL, kwargs());
        assertEquals(CeleryState.SUCCESS, fx.awaitFinal(first, Duration.ofSeconds(5)).status());
        fx.jedis.scriptFlush(); // the next (armed) take gets NOSCRIPT: loaded, then armed again
        for (int i = 0; i < 3; i++) {
            String id = fx.send(Priority.NORMAL, kwargs());
            assertEquals(CeleryState.SUCCESS, fx.awaitFinal(id, Duration.ofSeconds(5)).status(), "after flush " + i);
        }
    }
}
