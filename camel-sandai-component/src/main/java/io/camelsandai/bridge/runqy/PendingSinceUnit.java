package io.camelsandai.bridge.runqy;

import java.time.Instant;
import java.util.Locale;

/**
 * The unit of the task hash field {@code pending_since}: upstream asynq (and the runqy server's vendored copy)
 * writes nanoseconds, runqy-worker writes and reads seconds. This decides what we write; reading accepts both
 * (see {@link #read(String)}).
 */
public enum PendingSinceUnit {
    NANOSECONDS,
    SECONDS;

    public static PendingSinceUnit parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "ns", "nanos", "nanoseconds" -> NANOSECONDS;
            case "s", "sec", "seconds" -> SECONDS;
            default -> throw new IllegalArgumentException("pending_since unit must be nanoseconds or seconds, got '"
                                                          + text + "'");
        };
    }

    String stamp(Instant t) {
        return this == SECONDS ? String.valueOf(t.getEpochSecond())
                : String.valueOf(t.getEpochSecond() * 1_000_000_000L + t.getNano());
    }

    /**
     * Reads a stamp written by either side: values above 10^15 are nanoseconds, above 10^12 milliseconds, else
     * seconds (10^12 seconds is the year 33658). Null when absent or not a number.
     */
    static Instant read(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long v = Long.parseLong(value.trim());
            if (v > 1_000_000_000_000_000L) {
                return Instant.ofEpochSecond(v / 1_000_000_000L, v % 1_000_000_000L);
            }
            if (v > 1_000_000_000_000L) {
                return Instant.ofEpochMilli(v);
            }
            return Instant.ofEpochSecond(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
