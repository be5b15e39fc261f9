package io.camelsandai.bridge;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter on the upper half: attempt 0 waits about {@code initial}, capped at {@code max}. */
public record Backoff(Duration initial, Duration max) {

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
}
