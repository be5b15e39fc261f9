package io.camelsandai.transport;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sweeper's look-up schedule, driven by explicit clock values (no sleeping). */
class LookScheduleTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    private static final class Wait extends LookSchedule.Slot {
        final String id;

        Wait(String id) {
            this.id = id;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private final LookSchedule<Wait> schedule = new LookSchedule<>();
    private final Set<Wait> ended = new HashSet<>();

    private List<Wait> due(long at) {
        return schedule.due(at, w -> !ended.contains(w));
    }

    @Test
    void aWaitIsLookedAtAfterOneSecondThenBacksOffToEverySecondsEight() {
        Wait w = new Wait("a");
        schedule.register(w, 0);
        assertEquals(List.of(), due(S - 1));
        assertEquals(List.of(w), due(S));
        assertEquals(List.of(), due(S + 2 * S - 1));
        assertEquals(List.of(w), due(3 * S));
        assertEquals(List.of(), due(3 * S + 4 * S - 1));
        assertEquals(List.of(w), due(7 * S));
        assertEquals(List.of(w), due(15 * S));
        assertEquals(List.of(), due(23 * S - 1));
        assertEquals(List.of(w), due(23 * S));
    }

    @Test
    void endedWaitsAreNeverLookedAtAndOnlyDueOnesAre() {
        Wait early = new Wait("early");
        Wait done = new Wait("done");
        Wait late = new Wait("late");
        schedule.register(early, 0);
        schedule.register(done, S / 10);
        schedule.register(late, S / 2);
        ended.add(done);
        assertEquals(List.of(early), due(S + S / 5));
        assertEquals(List.of(late), due(S + S / 2));
        assertEquals(List.of(early), due(3 * S + S / 5));
    }

    @Test
    void anAskedForLookComesAtOnceAndOnceEvenWhenAlsoDue() {
        Wait w = new Wait("w");
        schedule.register(w, 0);
        schedule.lookNow(w);
        assertEquals(List.of(w), due(1));
        schedule.lookNow(w);
        assertEquals(List.of(w), due(S)); // asked for and scheduled: one look, and it still moves on
        assertEquals(List.of(), due(2 * S));
        assertEquals(List.of(w), due(3 * S));
        ended.add(w);
        schedule.lookNowAll(List.of(w));
        assertEquals(List.of(), due(3 * S + 1));
    }
}
