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

    /** Checks the reply of WAIT. */
    public void check(String what, long acked) {
        if (acked < replicas) {
            throw new io.camelsandai.model.ReplicasNotConfirmedException(what, acked, replicas, timeoutMillis());
        }
    }
}
