package io.camelsandai.util;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The task threads: every job runs, a running job never holds up a waiting one while a thread is free, no more than
 * {@code size} run at once, quick jobs do not wake a thread each, and a stop interrupts and refuses.
 */
class TaskThreadsTest {
    private TaskThreads threads;

    @AfterEach
    void stop() {
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    @Test
    void runsEveryJobHandedToIt() {
        threads = new TaskThreads("test-task", 8);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 10_000; i++) {
            threads.execute(ran::incrementAndGet);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 10_000);
    }

    @Test
    void aBlockedJobDoesNotHoldUpTheJobsBehindItWhileThreadsAreFree() throws Exception {
        threads = new TaskThreads("test-task", 4);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch othersDone = new CountDownLatch(3);
        // handed over in one burst, as a take round does: the first one blocks until the other three ran
        threads.execute(() -> block(release));
        for (int i = 0; i < 3; i++) {
            threads.execute(othersDone::countDown);
        }
        assertTrue(othersDone.await(10, TimeUnit.SECONDS), "jobs waited behind a blocked job while threads were free");
        release.countDown();
    }

    @Test
    void everyThreadCanBeBlockedAtOnceAndNoMoreThanSizeRun() throws Exception {
        int size = 5;
        threads = new TaskThreads("test-task", size);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 3 * size; i++) {
            threads.execute(() -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                block(release);
                running.decrementAndGet();
                done.incrementAndGet();
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> running.get() == size);
        assertEquals(size, threads.threadsAlive());
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> done.get() == 3 * size);
        assertEquals(size, most.get());
    }

    @Test
    void quickJobsHandedOneAtATimeRunOnOneThread() throws Exception {
        threads = new TaskThreads("test-task", 32);
        Set<Thread> used = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 200; i++) {
            CountDownLatch done = new CountDownLatch(1);
            threads.execute(() -> {
                used.add(Thread.currentThread());
                done.countDown();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            // parked again: the next job must wake a thread, and it wakes the one on top of the idle stack
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                    .until(() -> threads.threadsIdle() == threads.threadsAlive());
        }
        // no other thread was started or woken
        assertEquals(1, threads.threadsAlive());
        assertEquals(1, used.size());
    }

    @Test
    void stopInterruptsRunningJobsDropsWaitingOnesAndRefusesNewOnes() throws Exception {
        threads = new TaskThreads("test-task", 1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        threads.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(); // a handler blocked until the stop
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        AtomicInteger ran = new AtomicInteger();
        threads.execute(ran::incrementAndGet);
        List<Runnable> dropped = threads.shutdownNow();
        assertTrue(interrupted.await(10, TimeUnit.SECONDS));
        assertEquals(1, dropped.size());
        assertThrows(RejectedExecutionException.class, () -> threads.execute(ran::incrementAndGet));
        assertEquals(0, ran.get());
    }

    @Test
    void anIdleThreadEndsAfterItsExpiryAndANewOneServesTheNextJob() throws Exception {
        threads = new TaskThreads("test-task", Integer.MAX_VALUE, Duration.ofMillis(100));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            threads.execute(() -> {
                started.countDown();
                block(release);
            });
        }
        assertTrue(started.await(10, TimeUnit.SECONDS), "three blocked jobs run at once on three threads");
        assertEquals(3, threads.threadsAlive());
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> threads.threadsAlive() == 0);
        CountDownLatch done = new CountDownLatch(1);
        threads.execute(done::countDown);
        assertTrue(done.await(10, TimeUnit.SECONDS));
    }

    @Test
    void aGracefulShutdownRunsTheWaitingJobsThenEndsItsThreadsAndRefusesNewOnes() throws Exception {
        threads = new TaskThreads("test-task", 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        threads.execute(() -> {
            started.countDown();
            block(release);
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        AtomicInteger ran = new AtomicInteger();
        threads.execute(ran::incrementAndGet);
        threads.execute(ran::incrementAndGet);
        threads.shutdown();
        assertThrows(RejectedExecutionException.class, () -> threads.execute(ran::incrementAndGet));
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 2 && threads.threadsAlive() == 0);
    }

    private static void block(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
