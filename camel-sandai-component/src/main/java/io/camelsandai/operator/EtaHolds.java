package io.camelsandai.operator;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.camelsandai.util.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks taken before their Celery {@code eta}: they stay recorded in kombu's {@code unacked} (so a crash restores
 * them, and the restorer's heartbeat keeps them from being restored while this worker lives), hold neither a task
 * thread nor a concurrency slot, and go back through the processor when their eta comes. One timer thread for all.
 */
final class EtaHolds {
    private static final Logger LOG = LoggerFactory.getLogger(EtaHolds.class);

    private final Set<Delivery> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final PrefetchWindow window;
    private final Runnable onHeld;
    private final Consumer<Delivery> onDue;

    /**
     * @param onHeld called after a task was put on hold (the window grew: wake the taker)
     * @param onDue  called on the timer thread when a held task's eta has come; must not block
     */
    EtaHolds(String threadName, PrefetchWindow window, Runnable onHeld, Consumer<Delivery> onDue) {
        this.window = window;
        this.onHeld = onHeld;
        this.onDue = onDue;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> DaemonThreads.thread(threadName, r));
    }

    /** Holds {@code d} until {@code eta} (wall clock). */
    void hold(Delivery d, Instant eta) {
        held.add(d);
        window.held();
        onHeld.run();
        long delay = Math.max(0, eta.toEpochMilli() - System.currentTimeMillis());
        LOG.debug("holding task {} for {} ms until its eta {}", d.state().taskId, delay, eta);
        try {
            timer.schedule(() -> due(d), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping: it stays held and the graceful stop returns it to its queue
        }
    }

    private void due(Delivery d) {
        if (held.remove(d)) {
            window.released();
            onDue.accept(d);
        }
    }

    /** Tasks on hold now. */
    int count() {
        return held.size();
    }

    /** Stops the timer: from now on held tasks stay held (the caller returns them to their queues). */
    List<Delivery> stop() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(held);
    }
}
