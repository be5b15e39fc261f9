package io.camelsandai.fault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.model.BrokerUnavailableException;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskTimeoutException;
import io.camelsandai.operator.OperatorHandler;

import static org.awaitility.Awaitility.await;

/**
 * Counts every task a fault test sends and every run of the handler, and turns them into a {@link FaultReport}.
 * The handler finishes after {@code work} on a timer (no thread parked per task), so tasks are mid-flight when the
 * fault hits.
 */
final class FaultLedger implements AutoCloseable {
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<OperatorResult>> calls = new ConcurrentHashMap<>();
    private final AtomicInteger pythonSent = new AtomicInteger();
    private final AtomicInteger pythonResults = new AtomicInteger();
    private final AtomicInteger pythonFailed = new AtomicInteger();
    private final AtomicInteger pythonLost = new AtomicInteger();
    private final AtomicLong lastResultNanos = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fault-ledger-work");
        t.setDaemon(true);
        return t;
    });

    OperatorHandler handler(Duration work) {
        return task -> {
            runs.computeIfAbsent(task.taskId(), k -> new AtomicInteger()).incrementAndGet();
            CompletableFuture<OperatorResult> done = new CompletableFuture<>();
            timer.schedule(() -> done.complete(OperatorResult.success(List.of(), Map.of("id", task.taskId()))),
                    work.toMillis(), TimeUnit.MILLISECONDS);
            return done;
        };
    }

    /** A run seen by a worker that is not {@link #handler} (a Camel route). */
    void ran(String taskId) {
        runs.computeIfAbsent(taskId, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Handler runs seen for {@code taskId} (0 when it never ran). */
    int runsOf(String taskId) {
        AtomicInteger n = runs.get(taskId);
        return n == null ? 0 : n.get();
    }

    /** Tasks whose handler ran more than once so far. */
    int runTwice() {
        return (int) runs.values().stream().filter(n -> n.get() > 1).count();
    }

    int started() {
        return runs.size();
    }

    /** Sends one task and keeps the caller's future; {@code cancelKey} (never set) makes the worker check it. */
    void call(OperatorClient client, Duration wait, String cancelKey) {
        String id = UUID.randomUUID().toString();
        CallOptions options = CallOptions.DEFAULTS.withTaskId(id).withTimeout(wait);
        if (cancelKey != null) {
            options = options.withCancelKey(cancelKey);
        }
        CompletableFuture<OperatorResult> f = client.callAsync(OperatorRequest.of(List.of(), Map.of("id", id)),
                options, null);
        f.whenComplete((r, e) -> lastResultNanos.set(System.nanoTime()));
        calls.put(id, f);
    }

    int finishedCalls() {
        return (int) calls.values().stream().filter(CompletableFuture::isDone).count();
    }

    /** Python callers (a stock Celery client) counted by their result lines. */
    void python(int sent, int success, int failed, int lost) {
        pythonSent.addAndGet(sent);
        pythonResults.addAndGet(success);
        pythonFailed.addAndGet(failed);
        pythonLost.addAndGet(lost);
        lastResultNanos.set(System.nanoTime());
    }

    /** Waits (bounded) for every Java caller, then counts. {@code faultEndNanos}: when the fault was lifted. */
    FaultReport report(String fault, Duration within, long faultEndNanos) {
        await("every caller answered").atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> calls.values().stream().allMatch(CompletableFuture::isDone));
        int sent = pythonSent.get();
        int results = pythonResults.get();
        int lost = pythonLost.get();
        int failed = pythonFailed.get();
        int refused = 0;
        for (CompletableFuture<OperatorResult> f : calls.values()) {
            try {
                OperatorResult r = f.join();
                sent++;
                if (r.isSuccess()) {
                    results++;
                } else {
                    failed++;
                }
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof BrokerUnavailableException) {
                    refused++;
                } else if (cause instanceof TaskTimeoutException) {
                    sent++;
                    lost++;
                } else {
                    sent++;
                    failed++;
                }
            }
        }
        int twice = (int) runs.values().stream().filter(n -> n.get() > 1).count();
        long end = Math.max(lastResultNanos.get(), faultEndNanos);
        return new FaultReport(fault, sent, results, lost, failed, twice, refused,
                Duration.ofNanos(Math.max(0, end - faultEndNanos))).log();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
