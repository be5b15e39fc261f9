package io.camelsandai.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * When the result waiter's sweeper reads the stored result of a wait (the safety net for a missed message): a
 * second after the wait was registered, then 2 and 4 seconds later, then every 8 seconds while it still waits; and
 * at once when asked (after a reconnect, or for a caller that may come after the result).
 *
 * <p>Pub/sub delivers nearly every result, so the reads are almost always misses. Reading every wait once a second,
 * as before, cost 100,000 waiting calls 100,000 keys of {@code MGET} per second (client and Redis CPU, while the
 * worker needed it), and scanning them five times a second; backing off keeps the first look at one second and
 * makes a long wait cost a few reads.
 *
 * <p>All slots of one delay step wait the same time, so a FIFO per step is ordered by due time: finding what is
 * due costs only what is due, whatever the number of waits. A slot whose wait ended is dropped when it reaches the
 * head of its queue (at most one step's delay later). Only the sweeper thread calls {@link #due}; any thread may
 * register or ask for a look.
 */
final class LookSchedule<S extends LookSchedule.Slot> {
    /** Delay before the first look, then between looks; the last one repeats. */
    static final long[] DELAYS_NANOS = {TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(2),
            TimeUnit.SECONDS.toNanos(4), TimeUnit.SECONDS.toNanos(8)};

    /** Where a wait is in the schedule; written before it is registered, then by the sweeper thread only. */
    abstract static class Slot {
        long dueNanos;
        int step;
    }

    private final Queue<S> registered = new ConcurrentLinkedQueue<>(); // step 0, registered by any thread
    private final List<ArrayDeque<S>> later = new ArrayList<>();        // steps 1.., sweeper thread only
    private final Queue<S> immediate = new ConcurrentLinkedQueue<>();

    LookSchedule() {
        for (int i = 1; i < DELAYS_NANOS.length; i++) {
            later.add(new ArrayDeque<>());
        }
    }

    void register(S slot, long nowNanos) {
        slot.dueNanos = nowNanos + DELAYS_NANOS[0];
        slot.step = 0;
        registered.add(slot);
    }

    /** Asks for a look at the next sweep, besides the scheduled ones. */
    void lookNow(S slot) {
        immediate.add(slot);
    }

    void lookNowAll(Collection<S> slots) {
        immediate.addAll(slots);
    }

    /**
     * The slots to look at now, each once, those still {@code live} only; a scheduled one moves on to its next
     * delay. Sweeper thread only.
     */
    List<S> due(long nowNanos, Predicate<S> live) {
        List<S> out = new ArrayList<>();
        Set<S> asked = Collections.newSetFromMap(new IdentityHashMap<>());
        for (S s; (s = immediate.poll()) != null; ) {
            if (live.test(s) && asked.add(s)) {
                out.add(s);
            }
        }
        takeDue(registered, nowNanos, live, out, asked);
        for (ArrayDeque<S> queue : later) {
            takeDue(queue, nowNanos, live, out, asked);
        }
        return out;
    }

    private void takeDue(Queue<S> queue, long nowNanos, Predicate<S> live, List<S> out, Set<S> asked) {
        for (S s; (s = queue.peek()) != null; ) {
            boolean alive = live.test(s);
            if (alive && s.dueNanos - nowNanos > 0) {
                return; // the rest of this queue is due later still
            }
            queue.poll();
            if (alive) {
                if (!asked.contains(s)) {
                    out.add(s);
                }
                s.step = Math.min(s.step + 1, DELAYS_NANOS.length - 1);
                s.dueNanos = nowNanos + DELAYS_NANOS[s.step];
                later.get(s.step - 1).add(s);
            }
        }
    }
}
