package io.camelsandai.model;

/**
 * A durable write reached the Redis master, but {@code WAIT} saw fewer replicas acknowledge it than required within
 * the timeout: a failover now could lose it. The write itself is not undone.
 */
public class ReplicasNotConfirmedException extends SandaiException {
    private static final long serialVersionUID = 1L;

    private final long acked;
    private final int wanted;

    public ReplicasNotConfirmedException(String what, long acked, int wanted, long timeoutMillis) {
        super(what + " is not durable: " + acked + " of " + wanted + " replicas acknowledged it within "
              + timeoutMillis + " ms");
        this.acked = acked;
        this.wanted = wanted;
    }

    /** Replicas that acknowledged the write. */
    public long acked() {
        return acked;
    }

    /** Replicas required. */
    public int wanted() {
        return wanted;
    }
}
