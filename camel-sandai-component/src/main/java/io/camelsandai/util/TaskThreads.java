package io.camelsandai.util;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's task threads: at most {@code size} threads that run the jobs handed to {@link #execute} in order,
 * waking as few threads as the guarantee below allows.
 *
 * <p>Why not a {@code ThreadPoolExecutor}: its queue wakes one parked thread per job (the put signals, and each take
 * that leaves jobs behind signals the next), so a round of 20 no-op tasks woke about 20 threads, each a futex wait
 * and a context switch that cost more CPU than the task (measured: 1.2 voluntary context switches per task on the
 * task threads, half of their CPU in the kernel). Here a thread that finishes a job takes the next waiting one
 * itself, and an idle thread is woken only when no thread is awake to take the job.
 *
 * <p>Guarantee (as with the executor): a job never waits behind a running job while a thread is idle. A thread is
 * <em>awake</em> from the moment it is woken (or finishes a job) until it starts its next job or parks; it parks only
 * when no job is waiting. Whenever a job waits, some thread is awake, or every thread is running a job: a new job
 * wakes a thread when none is awake, and a thread that starts a job while others still wait and no other thread is
 * awake wakes one before it runs its job. So a slow job delays the next by at most one wake-up, as before.
 * Idle threads are kept last-in first-out, so the same few threads stay warm.
 *
 * <p>Used for the operator's task threads (a fixed size, threads kept) and for the client's result completions
 * (no practical bound, so that a slow caller never holds up another's result, and idle threads ending after a while,
 * as a cached thread pool's do).
 */
public final class TaskThreads implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(TaskThreads.class);

    /** One task thread and its wake-up permit (set under the lock by whoever takes it off the idle stack). */
    private static final class Worker {
        Thread thread;
        /** Not started yet: the one who claimed it starts it (only the claimer touches this). */
        boolean fresh;
        volatile boolean woken;
    }

    private final String namePrefix;
    private final int size;
    /** How long an idle thread waits for a job before it ends; 0: forever. */
    private final long idleNanos;
    private final AtomicInteger named = new AtomicInteger();
    private final Object lock = new Object();
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();
    private final List<Worker> all = new ArrayList<>();
    /** Threads not parked and not running a job: they take a waiting job without anybody waking them. */
    private int awake;
    private volatile boolean stopped;
    /** {@link #shutdown()}: no new jobs; the waiting ones still run, then the threads end. */
    private boolean draining;

    /** At most {@code size} threads, kept while idle. */
    public TaskThreads(String namePrefix, int size) {
        this(namePrefix, size, Duration.ZERO);
    }

    /** At most {@code size} threads; one idle for {@code idleExpiry} ends (zero: never). */
    public TaskThreads(String namePrefix, int size, Duration idleExpiry) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1: " + size);
        }
        this.namePrefix = namePrefix;
        this.size = size;
        this.idleNanos = idleExpiry.toNanos();
    }

    /** Runs {@code job} on a task thread; refused once {@link #shutdown()} or {@link #shutdownNow()} was called. */
    @Override
    public void execute(Runnable job) {
        Worker wake;
        synchronized (lock) {
            if (stopped || draining) {
                throw new RejectedExecutionException("task threads stopped");
            }
            waiting.addLast(job);
            wake = awake == 0 ? claimLocked() : null;
        }
        start(wake);
    }

    /**
     * Stops: waiting jobs are dropped (the runtime returns their tasks to the queues) and running ones interrupted,
     * as {@code ExecutorService.shutdownNow} does. Returns the dropped jobs.
     */
    public List<Runnable> shutdownNow() {
        List<Runnable> dropped;
        List<Worker> threads;
        synchronized (lock) {
            stopped = true;
            dropped = new ArrayList<>(waiting);
            waiting.clear();
            threads = new ArrayList<>(all);
            wakeAllIdleLocked();
        }
        for (Worker w : threads) {
            w.thread.interrupt();
            LockSupport.unpark(w.thread);
        }
        return dropped;
    }

    /**
     * Stops taking jobs; those waiting still run, as {@code ExecutorService.shutdown} does. Each thread ends when it
     * finds nothing left to run.
     */
    public void shutdown() {
        List<Worker> woken;
        synchronized (lock) {
            draining = true;
            woken = wakeAllIdleLocked();
        }
        woken.forEach(w -> LockSupport.unpark(w.thread));
    }

    /** Takes every idle thread off the stack, counted awake as a wake-up does; the caller unparks them. */
    private List<Worker> wakeAllIdleLocked() {
        List<Worker> woken = new ArrayList<>(idle);
        for (Worker w : woken) {
            w.woken = true;
            awake++; // the thread counts itself down again as it finds nothing to run and leaves
        }
        idle.clear();
        return woken;
    }

    /** Threads alive now (tests: fast jobs do not wake every thread; idle ones end after their expiry). */
    public int threadsAlive() {
        synchronized (lock) {
            return all.size();
        }
    }

    /** Threads parked, waiting for a job (tests). */
    public int threadsIdle() {
        synchronized (lock) {
            return idle.size();
        }
    }

    /**
     * Takes an idle thread off the stack (or makes a new one while under {@code size}) and counts it awake; the
     * caller wakes it after leaving the lock. Null when every thread is busy.
     */
    private Worker claimLocked() {
        Worker w = idle.pollFirst();
        if (w == null) {
            if (all.size() >= size) {
                return null;
            }
            w = new Worker();
            w.thread = DaemonThreads.thread(namePrefix + "-" + named.incrementAndGet(), runLoop(w));
            w.fresh = true;
            all.add(w);
        }
        w.woken = true;
        awake++;
        return w;
    }

    private void start(Worker w) {
        if (w == null) {
            return;
        }
        if (w.fresh) {
            w.fresh = false;
            try {
                w.thread.start();
            } catch (Throwable e) { // no native thread to be had: forget it, so that a later job tries again
                synchronized (lock) {
                    all.remove(w);
                    awake--;
                }
                throw e;
            }
        } else {
            LockSupport.unpark(w.thread);
        }
    }

    /** Parks until woken (true), or until the idle expiry passes unclaimed (false: the thread is forgotten). */
    private boolean awaitWakeUp(Worker self) {
        long deadline = System.nanoTime() + idleNanos;
        while (!self.woken) {
            if (idleNanos > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    synchronized (lock) {
                        if (!self.woken) { // still on the idle stack: nobody can claim it once it is off
                            idle.remove(self);
                            all.remove(self);
                            return false;
                        }
                    }
                    continue;
                }
                LockSupport.parkNanos(this, left);
            } else {
                LockSupport.park(this); // whoever sets woken counted us awake again
            }
            Thread.interrupted(); // a stray interrupt would make park return at once: no spinning
        }
        return true;
    }

    private Runnable runLoop(Worker self) {
        return () -> {
            while (true) {
                Runnable job;
                Worker helper = null;
                synchronized (lock) {
                    job = waiting.pollFirst();
                    awake--; // either parks or starts a job
                    if (job == null) {
                        if (stopped || draining) {
                            all.remove(self);
                            return;
                        }
                        self.woken = false;
                        idle.addFirst(self);
                    } else if (!waiting.isEmpty() && awake == 0) {
                        helper = claimLocked(); // our job may be slow: the next one must not wait for it
                    }
                }
                if (job == null) {
                    if (!awaitWakeUp(self)) {
                        return; // idle past its expiry, and nobody claimed it meanwhile
                    }
                    continue;
                }
                start(helper);
                Thread.interrupted(); // an interrupt meant for an earlier job must not hit this one ...
                if (stopped) {
                    return; // ... unless it stops the threads: a job taken as they stop is dropped with the waiting
                }
                try {
                    job.run();
                } catch (Throwable t) {
                    // the operator's and the client's jobs catch what they run; a thread must not die of a bug
                    LOG.error("job on {} failed", Thread.currentThread().getName(), t);
                }
                synchronized (lock) {
                    awake++;
                }
            }
        };
    }
}
