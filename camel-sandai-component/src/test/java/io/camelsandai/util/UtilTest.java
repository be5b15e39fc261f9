package io.camelsandai.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;

import org.junit.jupiter.api.Test;

/** The shared building blocks: back-off steps, daemon thread names, comma lists. */
class UtilTest {

    @Test
    void attemptsDoubleUpToTheCapAndStartOverAfterAReset() {
        Backoff.Attempts a = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400)).attempts();
        long[] full = {100, 200, 400, 400, 400};
        for (long f : full) {
            long d = a.nextDelayMillis();
            assertTrue(d >= f / 2 && d <= f, "jittered within [" + f / 2 + ", " + f + "]: " + d);
        }
        a.reset();
        long first = a.nextDelayMillis();
        assertTrue(first >= 50 && first <= 100, "back to the first step: " + first);
    }

    @Test
    void attemptsStayAtTheCapHoweverLongTheFailuresLast() {
        Backoff.Attempts a = Backoff.REDIS_RECONNECT.attempts();
        for (int i = 0; i < 1_000; i++) {
            long d = a.nextDelayMillis();
            assertTrue(d >= 1 && d <= 5_000, "never above the cap: " + d);
        }
        long d = a.nextDelayMillis();
        assertTrue(d >= 2_500, "still at the cap after many failures: " + d);
    }

    @Test
    void backoffRefusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    @Test
    void daemonThreadsAreDaemonsNamedByTheirOwner() {
        ThreadFactory f = DaemonThreads.factory("owner-pool");
        Thread first = f.newThread(() -> { });
        Thread second = f.newThread(() -> { });
        assertTrue(first.isDaemon());
        assertEquals("owner-pool-1", first.getName());
        assertEquals("owner-pool-2", second.getName());
        Thread one = DaemonThreads.thread("owner-loop", () -> { });
        assertTrue(one.isDaemon());
        assertEquals("owner-loop", one.getName());
        assertFalse(one.isAlive(), "thread() does not start it");
    }

    @Test
    void commaListsAreTrimmedWithoutBlanks() {
        assertEquals(List.of("video", "audio"), CommaList.split(" video, audio ,, "));
        assertEquals(List.of(), CommaList.split(null));
        assertEquals(List.of(), CommaList.split(" "));
    }
}
