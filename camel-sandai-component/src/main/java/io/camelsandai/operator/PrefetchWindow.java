package io.camelsandai.operator;

/**
 * How many more messages the taker may take: {@code prefetch} minus the messages taken and not settled, where
 * messages held for their eta do not count, up to {@code maxHeldEta} of them.
 *
 * <p>Why: a stock Celery worker keeps eta tasks in memory and raises its prefetch count by one for each (kombu's
 * {@code qos.increment_eventually}), lowering it again when the eta comes, so that a waiting countdown never blocks
 * the tasks behind it. It does so without a bound. This window does the same up to {@code maxHeldEta} held tasks
 * (beyond that, held tasks count against prefetch like running ones), which bounds the memory a flood of far-future
 * tasks can pin to {@code prefetch + maxHeldEta} messages. When a held task comes due it counts again, so the taker
 * takes nothing until enough tasks finish, as Celery does.
 */
final class PrefetchWindow {
    private final int prefetch;
    private final int maxHeldEta;
    private int outstanding;
    private int held;

    PrefetchWindow(int prefetch, int maxHeldEta) {
        this.prefetch = prefetch;
        this.maxHeldEta = maxHeldEta;
    }

    /** Messages that may be taken now; zero or less when the window is full. */
    synchronized int free() {
        return prefetch + Math.min(held, maxHeldEta) - outstanding;
    }

    synchronized void taken(int count) {
        outstanding += count;
    }

    /** A taken message was acked, dead-lettered or returned. */
    synchronized void settled() {
        outstanding--;
    }

    /** A taken message waits for its eta. */
    synchronized void held() {
        held++;
    }

    /** A held message came due (it counts against prefetch again). */
    synchronized void released() {
        held--;
    }
}
