package io.camelsandai.bridge.runqy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskError;
import io.camelsandai.operator.OperatorHandler;
import io.camelsandai.operator.OperatorTask;
import io.camelsandai.util.DaemonThreads;

/**
 * A Sandai operator whose work is done by runqy-python handler processes, driven exactly as runqy-worker drives
 * them over stdio (see {@link HandlerProcess}).
 *
 * <p>Long-running mode keeps {@code processes} children; each task goes to the ready child with the fewest tasks in
 * flight. A child that exits fails its in-flight tasks as retryable ({@code HandlerCrashed}) and is restarted with
 * exponential backoff, at most {@code maxRestarts} times per {@code restartCooldown}, after which it waits out the
 * cooldown. While any child is not ready the pool {@link #isDegraded() is degraded}, and tasks that find no ready
 * child fail at once as retryable ({@code HandlerUnavailable}), as runqy-worker does. A task that exceeds
 * {@code taskTimeout} is answered {@code failed}/{@code TaskTimeout}/retryable; the child is left running and its
 * late answer is dropped.
 *
 * <p>One-shot mode starts a child per task (at most {@code processes} at once; more tasks wait their turn).
 *
 * <p>Failures are answered as {@code failed} results, never as exceptions. Error types: {@code HandlerError} (the
 * handler's {@code error}, retryable when it said {@code retry:true}), {@code TaskTimeout}, {@code HandlerCrashed},
 * {@code HandlerUnavailable}, {@code HandlerStartFailed}, {@code ResponseTooLarge}, {@code InvalidOutputArtifact}.
 */
public final class RunqyHandlerPool implements OperatorHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunqyHandlerPool.class);

    private final RunqyHandlerSettings settings;
    private final List<Slot> slots = new ArrayList<>();
    private final Set<HandlerProcess> oneShotChildren = ConcurrentHashMap.newKeySet();
    private final AtomicInteger oneShotStartFailures = new AtomicInteger();
    private ScheduledExecutorService scheduler;
    private ExecutorService oneShotRunner;
    private volatile boolean started;
    private volatile boolean stopping;

    public RunqyHandlerPool(RunqyHandlerSettings settings) {
        this.settings = settings;
    }

    public RunqyHandlerSettings settings() {
        return settings;
    }

    /**
     * Starts the children (long-running mode) and waits until each said ready or failed to. Children that failed
     * are retried in the background.
     *
     * @throws RunqyHandlerException when no child became ready (nothing is left running then)
     */
    public synchronized void start() {
        if (started) {
            return;
        }
        stopping = false;
        scheduler = Executors.newSingleThreadScheduledExecutor(
                r -> DaemonThreads.thread("runqy-" + settings.name() + "-supervisor", r));
        if (settings.mode() == RunqyHandlerMode.ONE_SHOT) {
            oneShotRunner = Executors.newFixedThreadPool(settings.processes(),
                    DaemonThreads.factory("runqy-" + settings.name() + "-oneshot"));
            started = true;
            return;
        }
        List<CompletableFuture<Void>> readies = new ArrayList<>();
        for (int i = 0; i < settings.processes(); i++) {
            Slot slot = new Slot(i);
            slots.add(slot);
            readies.add(slot.launch());
        }
        RuntimeException firstFailure = null;
        int ready = 0;
        for (int i = 0; i < readies.size(); i++) {
            try {
                readies.get(i).join();
                ready++;
            } catch (CompletionException e) {
                firstFailure = firstFailure != null ? firstFailure : unwrapRuntime(e);
            }
        }
        if (ready == 0) {
            started = true; // so that close() tears down
            close();
            throw new RunqyHandlerException("no runqy handler process of " + settings.name() + " became ready: "
                                            + firstFailure.getMessage(), firstFailure);
        }
        started = true;
        for (Slot slot : slots) {
            if (slot.state != SlotState.READY) {
                slot.scheduleRestart();
            }
        }
        LOG.info("runqy handler pool {} started: {}/{} processes ready", settings.name(), ready, settings.processes());
    }

    /** True while started and not every child is ready (crashed, restarting, cooling down), or one-shot starts fail. */
    public boolean isDegraded() {
        if (!started || stopping) {
            return false;
        }
        if (settings.mode() == RunqyHandlerMode.ONE_SHOT) {
            return oneShotStartFailures.get() > 0;
        }
        return slots.stream().anyMatch(s -> s.state != SlotState.READY);
    }

    /** Children ready to take tasks now. */
    public int readyProcesses() {
        return (int) slots.stream().filter(s -> s.state == SlotState.READY).count();
    }

    /** Process ids of the running children (long-running mode), for diagnostics. */
    public List<Long> processIds() {
        List<Long> pids = new ArrayList<>();
        for (Slot s : slots) {
            HandlerProcess p = s.process;
            if (p != null && p.isAlive()) {
                pids.add(p.pid());
            }
        }
        return pids;
    }

    @Override
    public CompletionStage<OperatorResult> handle(OperatorTask task) {
        if (!started || stopping) {
            return CompletableFuture.completedFuture(failed("HandlerUnavailable",
                    "runqy handler pool " + settings.name() + " is not running", true));
        }
        if (task.isCancelled()) {
            return CompletableFuture.completedFuture(OperatorResult.cancelled("cancelled before it was sent to the handler"));
        }
        Path workDir;
        try {
            workDir = createWorkDir(task.taskId());
        } catch (IOException e) {
            return CompletableFuture.completedFuture(failed("WorkDirUnavailable",
                    "cannot create the task work dir: " + e.getMessage(), true));
        }
        Map<String, Object> line = HandlerTaskMapping.requestLine(task, settings, workDir);
        CompletableFuture<OperatorResult> result = settings.mode() == RunqyHandlerMode.ONE_SHOT
                ? CompletableFuture.supplyAsync(() -> runOneShot(task.taskId(), line, workDir), oneShotRunner)
                : runOnPool(task.taskId(), line, workDir);
        return result.whenComplete((r, e) -> {
            if (e != null || r.artifacts().isEmpty()) {
                deleteQuietly(workDir);
            }
        });
    }

    private CompletableFuture<OperatorResult> runOnPool(String taskId, Map<String, Object> line, Path workDir) {
        Slot slot = slots.stream().filter(s -> s.state == SlotState.READY && s.process != null)
                .min(Comparator.comparingInt(s -> s.process.inFlight())).orElse(null);
        if (slot == null) {
            return CompletableFuture.completedFuture(failed("HandlerUnavailable", "runqy handler " + settings.name()
                    + " has no ready process (supervisor crashed; restarting)", true));
        }
        HandlerProcess child = slot.process;
        CompletableFuture<Map<String, Object>> answer = child.send(taskId, line);
        ScheduledFuture<?> timer = scheduler.schedule(
                () -> child.abandon(taskId, new TimeoutException()), settings.taskTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return answer.handle((a, e) -> {
            timer.cancel(false);
            return e == null ? HandlerTaskMapping.toResult(a, workDir) : failureOf(e, child);
        });
    }

    private OperatorResult failureOf(Throwable e, HandlerProcess child) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof TimeoutException) {
            return failed("TaskTimeout", "active timeout exceeded (" + settings.taskTimeout() + ") on " + child.label(), true);
        }
        if (cause instanceof HandlerProcess.OversizeAnswerException) {
            return failed("ResponseTooLarge", cause.getMessage(), false);
        }
        if (cause instanceof HandlerProcess.ClosedException) {
            return failed("HandlerCrashed", cause.getMessage(), true);
        }
        return failed("HandlerError", String.valueOf(cause), true);
    }

    private OperatorResult runOneShot(String taskId, Map<String, Object> line, Path workDir) {
        if (stopping) {
            return failed("HandlerUnavailable", "runqy handler pool " + settings.name() + " is stopping", true);
        }
        HandlerProcess child;
        try {
            child = HandlerProcess.start(settings, settings.name() + "#" + taskId);
        } catch (RunqyHandlerException e) {
            oneShotStartFailures.incrementAndGet();
            return failed("HandlerStartFailed", e.getMessage(), true);
        }
        oneShotChildren.add(child);
        try {
            try {
                child.ready().get(settings.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                oneShotStartFailures.incrementAndGet();
                return failed("HandlerStartFailed", "runqy handler " + child.label() + " did not say ready within "
                                                    + settings.startupTimeout(), true);
            } catch (ExecutionException e) {
                oneShotStartFailures.incrementAndGet();
                return failed("HandlerStartFailed", e.getCause().getMessage(), true);
            }
            oneShotStartFailures.set(0);
            try {
                Map<String, Object> answer = child.send(taskId, line)
                        .get(settings.taskTimeout().toMillis(), TimeUnit.MILLISECONDS);
                child.awaitExit(5);
                return HandlerTaskMapping.toResult(answer, workDir);
            } catch (TimeoutException e) {
                return failed("TaskTimeout", "active timeout exceeded (" + settings.taskTimeout() + ") on "
                                             + child.label(), true);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof HandlerProcess.ClosedException) {
                    return failed("HandlerCrashed", "stdout closed before response received", true);
                }
                return failureOf(e.getCause(), child);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("HandlerUnavailable", "interrupted while running the handler", true);
        } finally {
            oneShotChildren.remove(child);
            if (child.isAlive()) {
                child.destroy();
            }
        }
    }

    private Path createWorkDir(String taskId) throws IOException {
        if (settings.workRoot() == null) {
            return null;
        }
        String safe = taskId.replaceAll("[^A-Za-z0-9._-]", "_");
        return Files.createDirectories(settings.workRoot().resolve(safe));
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not delete work dir {}: {}", dir, e.getMessage());
        }
    }

    private static OperatorResult failed(String type, String message, boolean retryable) {
        return OperatorResult.failed(new TaskError(type, message, retryable));
    }

    private static RuntimeException unwrapRuntime(CompletionException e) {
        return e.getCause() instanceof RuntimeException r ? r : e;
    }

    /** Stops every child; tasks still in flight are answered {@code HandlerCrashed} (retryable). */
    @Override
    public synchronized void close() {
        if (!started) {
            return;
        }
        stopping = true;
        for (Slot s : slots) {
            s.state = SlotState.STOPPED;
            HandlerProcess p = s.process;
            if (p != null) {
                p.destroy();
            }
        }
        slots.clear();
        oneShotChildren.forEach(HandlerProcess::destroy);
        if (oneShotRunner != null) {
            oneShotRunner.shutdownNow();
        }
        scheduler.shutdownNow();
        started = false;
        LOG.info("runqy handler pool {} stopped", settings.name());
    }

    /** Alias of {@link #close()}. */
    public void stop() {
        close();
    }

    enum SlotState { STARTING, READY, RESTARTING, COOLDOWN, STOPPED }

    /** One long-running child position: its current process and restart bookkeeping. */
    private final class Slot {
        private final int index;
        volatile HandlerProcess process;
        volatile SlotState state = SlotState.STARTING;
        private int consecutiveFailures;
        private int restartsInWindow;
        private long windowStartNanos = System.nanoTime();
        private volatile long readySinceNanos;

        Slot(int index) {
            this.index = index;
        }

        CompletableFuture<Void> launch() {
            state = SlotState.STARTING;
            HandlerProcess child;
            try {
                child = HandlerProcess.start(settings, settings.name() + "#" + index);
            } catch (RunqyHandlerException e) {
                return CompletableFuture.failedFuture(e);
            }
            process = child;
            ScheduledFuture<?> startupTimer = scheduler.schedule(() -> child.ready().completeExceptionally(
                    new RunqyHandlerException("runqy handler " + child.label() + " did not say ready within "
                                              + settings.startupTimeout())),
                    settings.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return child.ready().whenComplete((v, e) -> {
                startupTimer.cancel(false);
                if (e == null && !stopping) {
                    readySinceNanos = System.nanoTime();
                    state = SlotState.READY;
                    child.closed().thenAccept(reason -> onClosed(child, reason));
                } else {
                    LOG.error("runqy handler {} failed to start: {}", child.label(), e == null ? "pool stopping" : e.getMessage());
                    child.destroy();
                }
            });
        }

        private void onClosed(HandlerProcess child, String reason) {
            if (stopping || child != process) {
                return;
            }
            LOG.warn("runqy handler {} crashed ({}); its in-flight tasks fail as retryable, restarting", child.label(), reason);
            synchronized (this) {
                if (System.nanoTime() - readySinceNanos >= settings.restartCooldown().toNanos()) {
                    consecutiveFailures = 0; // it served long enough: this crash starts a new series
                }
            }
            child.destroy();
            scheduleRestart();
        }

        synchronized void scheduleRestart() {
            if (stopping) {
                return;
            }
            long now = System.nanoTime();
            if (now - windowStartNanos > settings.restartCooldown().toNanos()) {
                windowStartNanos = now;
                restartsInWindow = 0;
            }
            Duration delay;
            if (restartsInWindow >= settings.maxRestarts()) {
                state = SlotState.COOLDOWN;
                delay = settings.restartCooldown();
                windowStartNanos = now + delay.toNanos();
                restartsInWindow = 0;
                LOG.error("runqy handler {}#{} restarted {} times within {}: degraded, next attempt after the cooldown",
                        settings.name(), index, settings.maxRestarts(), settings.restartCooldown());
            } else {
                state = SlotState.RESTARTING;
                restartsInWindow++;
                consecutiveFailures++;
                long factor = 1L << Math.min(20, consecutiveFailures - 1);
                delay = settings.restartBackoff().multipliedBy(factor);
                if (delay.compareTo(settings.maxRestartBackoff()) > 0) {
                    delay = settings.maxRestartBackoff();
                }
            }
            try {
                scheduler.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the pool is closing
            }
        }

        private void restart() {
            if (stopping) {
                return;
            }
            launch().whenComplete((v, e) -> {
                if (e != null && !stopping) {
                    scheduleRestart();
                } else if (e == null) {
                    LOG.info("runqy handler {}#{} restarted", settings.name(), index);
                }
            });
        }
    }
}
