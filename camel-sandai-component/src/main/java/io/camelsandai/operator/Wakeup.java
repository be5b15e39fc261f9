package io.camelsandai.operator;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A wake-up flag for the taking loop: {@link #wake()} before {@link #await(long)} is not lost, so a message that
 * arrives between "queues were empty" and "start waiting" wakes the loop at once.
 */
final class Wakeup {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean woken;

    void wake() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets earlier wake-ups; call before looking at the state the wake-ups are about. */
    void clear() {
        lock.lock();
        try {
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until woken (since the last {@link #clear()}) or for {@code millis}; true when woken. */
    boolean await(long millis) {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (!woken && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            return woken;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } finally {
            lock.unlock();
        }
    }
}
