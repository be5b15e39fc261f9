package io.camelsandai.bridge;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelsandai.util.DaemonThreads;

/**
 * Runs tasks from an external source on Sandai operators: fetches while a slot is free (global and per-type
 * limits), calls the operator, posts the report (kept and retried until posted), heartbeats on an interval, and
 * stops gracefully. Protocol details live in the {@link BridgeProtocol}.
 *
 * <p>A slot is held from the moment a task is taken until its final report was tried once, so a source that counts
 * tasks handed out and not yet answered never sees more than the limit.
 *
 * @param <T> the source's task type
 */
public final class BridgeWorker<T> implements WorkerControl {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeWorker.class);

    private final String name;
    private final BridgeProtocol<T> protocol;
    private final OperatorInvoker invoker;
    private final BridgeSettings settings;
    private final ReportOutbox outbox;
    private final Object lock = new Object();
    private final Deque<T> backlog = new ArrayDeque<>();
    private final Map<String, Running<T>> running = new LinkedHashMap<>();
    private final Map<String, Integer> groupInFlight = new HashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean heartbeatScheduled = new AtomicBoolean();
    private volatile boolean stopping;
    private ExecutorService taskThreads;
    private ScheduledExecutorService heartbeats;
    private Thread pollThread;

    private static final class Running<T> {
        final T task;
        final String id;
        final String group;
        volatile OperatorCall call;
        volatile boolean cancelRequested;
        volatile boolean abandoned;
        /** Last progress handed on: a result waiter may deliver one PROGRESS twice; only changes are posted. */
        ProgressUpdate lastProgress;
        final AtomicBoolean released = new AtomicBoolean();
        final AtomicBoolean reported = new AtomicBoolean();

        Running(T task, String id, String group) {
            this.task = task;
            this.id = id;
            this.group = group;
        }
    }

    public BridgeWorker(String name, BridgeProtocol<T> protocol, OperatorInvoker invoker, BridgeSettings settings) {
        this.name = name;
        this.protocol = protocol;
        this.invoker = invoker;
        this.settings = settings;
        this.outbox = new ReportOutbox(settings.reportBackoff(), settings.reportSenders(), name);
    }

    /** Starts registering, polling and heartbeating in the background; returns at once. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException(name + " was already started");
        }
        protocol.bind(this);
        taskThreads = Executors.newCachedThreadPool(DaemonThreads.factory(name + "-task"));
        heartbeats = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory(name + "-heartbeat"));
        pollThread = DaemonThreads.factory(name + "-poll").newThread(this::pollLoop);
        pollThread.start();
    }

    public boolean isRunning() {
        return started.get() && !stopping;
    }

    public ReportOutbox outbox() {
        return outbox;
    }

    // ---- polling -----------------------------------------------------------------------------------------------

    private void pollLoop() {
        if (!openWithRetry()) {
            return;
        }
        long interval = settings.heartbeatInterval().toMillis();
        heartbeats.scheduleWithFixedDelay(this::heartbeatQuietly, interval, interval, TimeUnit.MILLISECONDS);
        int failures = 0;
        while (!stopping) {
            if (!awaitFreeSlot()) {
                break;
            }
            List<T> tasks;
            try {
                tasks = protocol.fetch(snapshot());
                failures = 0;
            } catch (Exception e) {
                if (stopping) {
                    break;
                }
                Duration delay = e instanceof RetryLaterException later && later.retryAfter() != null
                        ? later.retryAfter() : settings.fetchBackoff().delay(failures++);
                LOG.warn("{}: fetching tasks failed ({}); next try in {} ms", name, e.toString(), delay.toMillis());
                pause(delay);
                continue;
            }
            if (tasks != null && !tasks.isEmpty()) {
                accept(tasks);
            }
        }
    }

    private boolean openWithRetry() {
        int failures = 0;
        while (!stopping) {
            try {
                protocol.open();
                heartbeatQuietly();
                return true;
            } catch (Exception e) {
                Duration delay = settings.fetchBackoff().delay(failures++);
                LOG.warn("{}: registration failed ({}); next try in {} ms", name, e.toString(), delay.toMillis());
                pause(delay);
            }
        }
        return false;
    }

    /** Waits until a slot is free (tasks waiting in the backlog count as taken). False when stopping. */
    private boolean awaitFreeSlot() {
        synchronized (lock) {
            while (!stopping && running.size() + backlog.size() >= settings.maxConcurrentTasks()) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !stopping;
        }
    }

    private void pause(Duration delay) {
        synchronized (lock) {
            if (stopping) {
                return;
            }
            try {
                lock.wait(Math.max(1, delay.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void accept(List<T> tasks) {
        synchronized (lock) {
            backlog.addAll(tasks);
            dispatch();
        }
        heartbeatSoon();
    }

    /** Starts every backlog task whose slots are free. Caller holds the lock. */
    private void dispatch() {
        Iterator<T> it = backlog.iterator();
        while (it.hasNext() && running.size() < settings.maxConcurrentTasks()) {
            T task = it.next();
            String group = safeGroup(task);
            Integer groupLimit = group == null ? null : settings.groupLimits().get(group);
            if (groupLimit != null && groupInFlight.getOrDefault(group, 0) >= groupLimit) {
                continue;
            }
            it.remove();
            String id = safeId(task);
            Running<T> run = new Running<>(task, id, group);
            running.put(id, run);
            if (group != null) {
                groupInFlight.merge(group, 1, Integer::sum);
            }
            taskThreads.execute(() -> begin(run));
        }
    }

    private String safeGroup(T task) {
        try {
            return protocol.limitGroup(task);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String safeId(T task) {
        String id;
        try {
            id = protocol.taskId(task);
        } catch (RuntimeException e) {
            id = null;
        }
        String unique = id == null ? "unknown-" + System.identityHashCode(task) : id;
        // two deliveries of the same id must not overwrite each other's slot
        while (running.containsKey(unique)) {
            unique = unique + "'";
        }
        return unique;
    }

    // ---- running one task --------------------------------------------------------------------------------------

    private void begin(Running<T> run) {
        try {
            BridgeProtocol.Preparation prep = protocol.prepare(run.task);
            // The start goes out even for a task that fails at once: a source may accept a failure only once started.
            Report start = protocol.startReport(run.task);
            if (start != null && outbox.submit(start).join() == Delivery.REJECTED) {
                LOG.warn("{}: the source refused the start of {}; not running it", name, run.id);
                release(run);
                return;
            }
            if (prep.outcome() != null) {
                finish(run, prep.outcome());
                return;
            }
            run.call = prep.call();
            if (run.cancelRequested) {
                finish(run, CallOutcome.failure(CallOutcome.Kind.CANCELLED, "TaskCancelled",
                        "cancelled before the operator call", false));
                return;
            }
            CompletableFuture<CallOutcome> call;
            try (io.camelsandai.tracing.TracingScope trace = io.camelsandai.tracing.SandaiTracing.global()
                    .enter(protocol.traceContext(run.task))) { // tracing hook: the call continues the source's trace
                call = invoker.invoke(run.call, update -> progress(run, update));
            }
            call.whenComplete((outcome, error) -> finish(run, outcome != null ? outcome
                    : CallOutcome.failure(CallOutcome.Kind.ERROR, "BridgeError", String.valueOf(error), true)));
        } catch (RuntimeException e) {
            LOG.error("{}: task {} failed inside the bridge", name, run.id, e);
            finish(run, CallOutcome.failure(CallOutcome.Kind.ERROR, e.getClass().getSimpleName(),
                    String.valueOf(e.getMessage()), true));
        }
    }

    private void progress(Running<T> run, ProgressUpdate update) {
        if (run.abandoned) {
            return;
        }
        synchronized (run) {
            if (update.equals(run.lastProgress)) {
                return;
            }
            run.lastProgress = update;
        }
        try {
            Report report = protocol.progressReport(run.task, update);
            if (report != null) {
                outbox.submit(report);
            }
        } catch (RuntimeException e) {
            LOG.debug("{}: progress of {} dropped: {}", name, run.id, e.toString());
        }
    }

    private void finish(Running<T> run, CallOutcome outcome) {
        if (run.abandoned || !run.reported.compareAndSet(false, true)) {
            return; // reported at stop already
        }
        Report report;
        try {
            report = protocol.finalReport(run.task, outcome, run.cancelRequested);
        } catch (RuntimeException e) {
            LOG.error("{}: could not build the report of {}", name, run.id, e);
            release(run);
            return;
        }
        // The slot is freed once the report was tried: delivered, refused, or queued for retries.
        outbox.submit(report).whenComplete((d, e) -> release(run));
    }

    private void release(Running<T> run) {
        if (!run.released.compareAndSet(false, true)) {
            return;
        }
        try {
            protocol.released(run.task);
        } catch (RuntimeException e) {
            LOG.debug("{}: release hook failed for {}: {}", name, run.id, e.toString());
        }
        synchronized (lock) {
            running.remove(run.id);
            if (run.group != null) {
                groupInFlight.computeIfPresent(run.group, (g, n) -> n <= 1 ? null : n - 1);
            }
            if (!stopping) {
                dispatch();
            }
            lock.notifyAll();
        }
        heartbeatSoon();
    }

    // ---- control -----------------------------------------------------------------------------------------------

    @Override
    public boolean cancel(String taskId) {
        Running<T> run;
        synchronized (lock) {
            run = running.get(taskId);
        }
        if (run == null) {
            return false;
        }
        run.cancelRequested = true;
        OperatorCall call = run.call;
        if (call != null && call.cancelKey() != null) {
            try {
                invoker.cancel(call.target(), call.cancelKey());
            } catch (RuntimeException e) {
                LOG.warn("{}: could not set the cancel key of {}: {}", name, taskId, e.toString());
            }
        }
        return true;
    }

    @Override
    public WorkerSnapshot snapshot() {
        synchronized (lock) {
            List<String> ids = new ArrayList<>(running.keySet());
            backlog.forEach(t -> ids.add(safeId(t)));
            return new WorkerSnapshot(ids, running.size() + backlog.size(), settings.maxConcurrentTasks(),
                    groupInFlight, settings.groupLimits(), stopping);
        }
    }

    @Override
    public void heartbeatSoon() {
        Duration debounce = settings.heartbeatDebounce();
        if (debounce == null || debounce.isZero() || heartbeats == null || !heartbeatScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            heartbeats.schedule(() -> {
                heartbeatScheduled.set(false);
                heartbeatQuietly();
            }, debounce.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            heartbeatScheduled.set(false);
        }
    }

    private void heartbeatQuietly() {
        try {
            protocol.heartbeat(snapshot());
        } catch (Exception e) {
            LOG.warn("{}: heartbeat failed: {}", name, e.toString());
        }
    }

    // ---- stop --------------------------------------------------------------------------------------------------

    /** Stops within the configured shutdown timeout. */
    public StopReport stop() {
        return stop(settings.shutdownTimeout());
    }

    /**
     * Stops polling, lets in-flight calls finish within {@code timeout}, posts what it can and returns what it could
     * not. Tasks taken but not started, and calls still running at the timeout, are reported as retryable failures
     * (their cancel key set) so the source can hand them to another worker.
     */
    public StopReport stop(Duration timeout) {
        if (!started.get() || stopping) {
            return new StopReport(true, List.of(), List.of());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
        protocol.draining(snapshot());
        // A fetch in progress may be bringing a task the source already counts as ours: let it return (polls are
        // bounded) for up to half the timeout before cutting it off.
        joinQuietly(pollThread, timeout.dividedBy(2));
        if (pollThread.isAlive()) {
            protocol.interruptFetch();
            joinQuietly(pollThread, Duration.ofSeconds(5));
        }

        List<String> abandoned = new ArrayList<>();
        List<T> notStarted;
        synchronized (lock) {
            notStarted = new ArrayList<>(backlog);
            backlog.clear();
        }
        for (T task : notStarted) {
            String id = safeId(task);
            abandoned.add(id);
            submitQuietly(() -> protocol.finalReport(task, CallOutcome.failure(CallOutcome.Kind.ERROR, "WorkerStopping",
                    "the worker stopped before starting this task", true), false));
        }

        boolean drained = awaitIdle(deadline);
        if (!drained) {
            List<Running<T>> left;
            synchronized (lock) {
                left = new ArrayList<>(running.values());
            }
            for (Running<T> run : left) {
                if (!run.reported.compareAndSet(false, true)) {
                    continue; // its report is being tried right now
                }
                run.abandoned = true;
                abandoned.add(run.id);
                OperatorCall call = run.call;
                if (call != null && call.cancelKey() != null) {
                    try {
                        invoker.cancel(call.target(), call.cancelKey());
                    } catch (RuntimeException e) {
                        LOG.debug("{}: cancel of {} failed: {}", name, run.id, e.toString());
                    }
                }
                submitQuietly(() -> protocol.finalReport(run.task, CallOutcome.failure(CallOutcome.Kind.ERROR,
                        "WorkerStopping", "the worker stopped before the operator answered", true), false));
            }
        }
        long left = Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos());
        List<Report> undelivered = outbox.flushAndClose(Duration.ofNanos(left));
        heartbeats.shutdownNow();
        protocol.close(snapshot());
        taskThreads.shutdownNow();
        LOG.info("{} stopped: drained={}, abandoned={}, undelivered={}", name, drained, abandoned.size(),
                undelivered.size());
        return new StopReport(drained, abandoned, undelivered);
    }

    private void submitQuietly(java.util.function.Supplier<Report> report) {
        try {
            outbox.submit(report.get());
        } catch (RuntimeException e) {
            LOG.error("{}: could not report at stop", name, e);
        }
    }

    private boolean awaitIdle(long deadlineNanos) {
        synchronized (lock) {
            while (!running.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private static void joinQuietly(Thread t, Duration d) {
        if (t == null) {
            return;
        }
        try {
            t.join(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "BridgeWorker[" + name + "]";
    }
}
