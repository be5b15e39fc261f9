package io.camelsandai.util;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter on the upper half: attempt 0 waits about {@code initial}, doubling per attempt up
 * to {@code max}.
 */
public record Backoff(Duration initial, Duration max) {
    /** How the operator runtime comes back to Redis: 100 ms doubling up to 5 s. */
    public static final Backoff REDIS_RECONNECT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    public Backoff {
        if (initial == null || initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("backoff initial delay must be positive");
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max delay must be at least the initial delay");
        }
    }

    /** The delay before retry number {@code attempt} (0-based). */
    public Duration delay(int attempt) {
        long base = initial.toMillis();
        long cap = max.toMillis();
        long exp = attempt >= 30 ? cap : Math.min(cap, base << Math.max(0, attempt));
        // Jitter between half and the full delay, so many workers coming back do not retry in lock step.
        long jittered = exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
        return Duration.ofMillis(Math.max(1, jittered));
    }

    /** A count of consecutive failures for one loop, to pause by this back-off and reset after a success. */
    public Attempts attempts() {
        return new Attempts(this);
    }

    /** Consecutive failures of one loop (not thread-safe: one loop owns it). */
    public static final class Attempts {
        private final Backoff backoff;
        private int failures;

        private Attempts(Backoff backoff) {
            this.backoff = backoff;
        }

        /** The pause after one more failure. */
        public long nextDelayMillis() {
            long d = backoff.delay(failures).toMillis();
            failures = Math.min(failures + 1, 30);
            return d;
        }

        public void reset() {
            failures = 0;
        }
    }
}
