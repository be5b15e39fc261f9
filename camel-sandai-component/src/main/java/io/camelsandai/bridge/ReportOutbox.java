package io.camelsandai.bridge;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelsandai.util.Backoff;
import io.camelsandai.util.DaemonThreads;

/**
 * Posts reports and keeps every one that could not be posted, retrying it with backoff until it is delivered or
 * refused for good: a result is never dropped because the peer was away. Reports about the same task go out in
 * order (a gyoza run must see STARTED before COMPLETED), each task's queue independently of the others.
 */
public final class ReportOutbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportOutbox.class);
    /** While flushing at stop, waits are shortened to this so the remaining time is used for tries, not sleeps. */
    private static final Duration FLUSH_RETRY_CAP = Duration.ofMillis(250);

    private final Backoff backoff;
    private final ExecutorService senders;
    private final ScheduledExecutorService timers;
    private final Map<String, Deque<Entry>> queues = new LinkedHashMap<>();
    private boolean flushing;
    private boolean closed;

    private static final class Entry {
        final Report report;
        final CompletableFuture<Delivery> firstAttempt = new CompletableFuture<>();
        int attempts;

        Entry(Report report) {
            this.report = report;
        }
    }

    public ReportOutbox(Backoff backoff, int senderThreads, String threadName) {
        this.backoff = backoff;
        this.senders = Executors.newFixedThreadPool(Math.max(1, senderThreads),
                DaemonThreads.factory(threadName + "-send"));
        this.timers = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory(threadName + "-retry"));
    }

    /**
     * Hands a report over. The future tells what the first attempt gave: DELIVERED, REJECTED, or QUEUED (kept and
     * retried). A best-effort report behind pending ones is dropped at once (REJECTED).
     */
    public CompletableFuture<Delivery> submit(Report report) {
        Entry entry = new Entry(report);
        boolean startNow;
        synchronized (this) {
            if (closed) {
                LOG.warn("{} arrived after the outbox closed; it is not posted", report);
                entry.firstAttempt.complete(Delivery.REJECTED);
                return entry.firstAttempt;
            }
            Deque<Entry> queue = queues.computeIfAbsent(report.taskId(), k -> new ArrayDeque<>());
            if (report.bestEffort() && !queue.isEmpty()) {
                entry.firstAttempt.complete(Delivery.REJECTED);
                return entry.firstAttempt;
            }
            queue.addLast(entry);
            startNow = queue.size() == 1;
        }
        if (startNow) {
            senders.execute(() -> attempt(entry));
        }
        return entry.firstAttempt;
    }

    private void attempt(Entry entry) {
        Report report = entry.report;
        Delivery outcome;
        Duration retryAfter = null;
        try {
            outcome = report.sender().send();
            if (outcome == Delivery.QUEUED) {
                throw new IllegalStateException("a sender must not answer QUEUED");
            }
        } catch (RetryLaterException e) {
            outcome = null;
            retryAfter = e.retryAfter();
            LOG.debug("{}: peer asked to retry later: {}", report, e.getMessage());
        } catch (Exception e) {
            outcome = null;
            LOG.debug("{}: not posted: {}", report, e.toString());
        }
        entry.attempts++;
        if (outcome != null) {
            finish(entry, outcome);
            return;
        }
        if (report.bestEffort()) {
            finish(entry, Delivery.REJECTED); // progress is worth nothing later
            return;
        }
        entry.firstAttempt.complete(Delivery.QUEUED);
        scheduleRetry(entry, retryAfter);
    }

    private void scheduleRetry(Entry entry, Duration retryAfter) {
        Duration delay = retryAfter != null ? retryAfter : backoff.delay(entry.attempts - 1);
        synchronized (this) {
            if (flushing && delay.compareTo(FLUSH_RETRY_CAP) > 0) {
                delay = FLUSH_RETRY_CAP;
            }
            if (closed) {
                return; // kept in its queue: reported as undelivered by close()
            }
        }
        if (entry.attempts == 1 || entry.attempts % 10 == 0) {
            LOG.warn("{} could not be posted (try {}); retrying in {} ms", entry.report, entry.attempts,
                    delay.toMillis());
        }
        try {
            timers.schedule(() -> senders.execute(() -> attempt(entry)), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: the entry stays queued and is listed as undelivered
        }
    }

    private void finish(Entry entry, Delivery outcome) {
        if (outcome == Delivery.REJECTED && !entry.report.bestEffort()) {
            LOG.warn("{} was refused by the peer and is dropped", entry.report);
        }
        Entry next;
        synchronized (this) {
            Deque<Entry> queue = queues.get(entry.report.taskId());
            if (queue != null) {
                queue.remove(entry);
            }
            next = queue == null ? null : queue.peekFirst();
            if (queue != null && queue.isEmpty()) {
                queues.remove(entry.report.taskId());
            }
            notifyAll();
        }
        entry.firstAttempt.complete(outcome);
        if (next != null) {
            try {
                senders.execute(() -> attempt(next));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Reports not yet delivered or refused. */
    public synchronized int pending() {
        int n = 0;
        for (Deque<Entry> q : queues.values()) {
            n += q.size();
        }
        return n;
    }

    public synchronized boolean hasPending(String taskId) {
        Deque<Entry> q = queues.get(taskId);
        return q != null && !q.isEmpty();
    }

    /**
     * Tries to post everything still pending within {@code timeout}, retrying quickly, then closes. Returns what
     * could not be posted (kept by the caller, logged here).
     */
    public List<Report> flushAndClose(Duration timeout) {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        List<Entry> waiting = new ArrayList<>();
        synchronized (this) {
            flushing = true;
            queues.values().forEach(q -> { if (!q.isEmpty()) waiting.add(q.peekFirst()); });
        }
        // Pull scheduled retries forward: each queue head gets a try now instead of at the end of its backoff.
        for (Entry head : waiting) {
            if (head.attempts > 0) {
                try {
                    senders.execute(() -> retryIfStillHead(head));
                } catch (java.util.concurrent.RejectedExecutionException ignored) {
                    // already closed
                }
            }
        }
        synchronized (this) {
            while (!queues.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return close0();
    }

    private void retryIfStillHead(Entry head) {
        synchronized (this) {
            Deque<Entry> q = queues.get(head.report.taskId());
            if (q == null || q.peekFirst() != head) {
                return;
            }
        }
        attempt(head);
    }

    private List<Report> close0() {
        List<Report> left = new ArrayList<>();
        synchronized (this) {
            closed = true;
            queues.values().forEach(q -> q.forEach(e -> left.add(e.report)));
            queues.clear();
            notifyAll();
        }
        timers.shutdownNow();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(2, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!left.isEmpty()) {
            LOG.error("{} report(s) could not be posted before stop: {}", left.size(), left);
        }
        return left;
    }

    @Override
    public void close() {
        close0();
    }
}
