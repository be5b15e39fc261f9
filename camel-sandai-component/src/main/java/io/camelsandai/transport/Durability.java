package io.camelsandai.transport;

import java.time.Duration;

/**
 * Opt-in durable writes (beyond kombu): after a write, {@code WAIT replicas timeout} on the same connection, and the
 * write fails with {@link io.camelsandai.model.ReplicasNotConfirmedException} when fewer replicas confirm. Redis
 * replicates asynchronously, so without it a write acknowledged by a master that dies before replicating is lost.
 *
 * @param replicas replicas that must confirm; 0 = off (kombu's behaviour)
 * @param timeout  how long WAIT may block; never zero (WAIT 0 would block forever)
 */
public record Durability(int replicas, Duration timeout) {
    public static final Durability OFF = new Durability(0, Duration.ofSeconds(1));
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    public Durability {
        if (replicas < 0) {
            throw new IllegalArgumentException("durableReplicas must be 0 (off) or more, got " + replicas);
        }
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("durableTimeout must be positive, got " + timeout);
        }
    }

    public boolean enabled() {
        return replicas > 0;
    }

    public long timeoutMillis() {
        return Math.max(1, timeout.toMillis());
    }

    /** A duration as users write it: a bare number is seconds; {@code 500ms}, {@code 2s}, {@code 1m}, {@code PT2S}. */
    public static Duration parseTimeout(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            double factor = t.endsWith("m") ? 60_000 : t.endsWith("h") ? 3_600_000 : 1000;
            String number = Character.isLetter(t.charAt(t.length() - 1)) ? t.substring(0, t.length() - 1) : t;
            if (Character.isLetter(t.charAt(t.length() - 1)) && "smh".indexOf(t.charAt(t.length() - 1)) < 0) {
                throw new NumberFormatException(t);
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(number.trim()) * factor));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("durableTimeout must be a duration such as 500ms, 2s or PT2S, got '"
                                               + text + "'");
        }
    }

    /** Checks the reply of WAIT. */
    public void check(String what, long acked) {
        if (acked < replicas) {
            throw new io.camelsandai.model.ReplicasNotConfirmedException(what, acked, replicas, timeoutMillis());
        }
    }
}
