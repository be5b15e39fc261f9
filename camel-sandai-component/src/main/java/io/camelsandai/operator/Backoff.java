package io.camelsandai.operator;

/** Bounded exponential back-off: 100 ms doubling up to 5 s, reset after a success. */
final class Backoff {
    static final long FIRST_MILLIS = 100;
    static final long MAX_MILLIS = 5_000;

    private long next = FIRST_MILLIS;

    long nextDelayMillis() {
        long d = next;
        next = Math.min(MAX_MILLIS, next * 2);
        return d;
    }

    void reset() {
        next = FIRST_MILLIS;
    }
}
