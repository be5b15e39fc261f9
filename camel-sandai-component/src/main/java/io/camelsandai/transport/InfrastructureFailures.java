package io.camelsandai.transport;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import io.camelsandai.model.BrokerUnavailableException;
import io.camelsandai.model.ClientPoolTimeoutException;
import io.camelsandai.model.ReplicasNotConfirmedException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The one rule for Redis errors: an infrastructure failure (Redis down, restarting, failing over, slow, or a pool
 * starved by such an outage) is never a task outcome. The worker keeps the task in kombu's unacked hash and retries;
 * the client fails the send with {@link BrokerUnavailableException} and keeps its waits. Anything else (a script
 * error, NOPERM, a bug) is a real error and handled as before.
 */
public final class InfrastructureFailures {
    /**
     * Error replies Redis gives while it cannot serve for a moment: loading its data set, a replica after failover,
     * a replica that lost its master, a script running too long, a cluster resharding, min-replicas not met.
     */
    private static final String[] TRANSIENT_REPLIES = {
        "LOADING", "READONLY", "MASTERDOWN", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS"
    };
    private static final int MAX_DEPTH = 16;

    private InfrastructureFailures() {
    }

    /** True when {@code t}, or anything in its cause chain, is an infrastructure failure. */
    public static boolean isInfrastructure(Throwable t) {
        Throwable e = t;
        for (int depth = 0; e != null && depth < MAX_DEPTH; depth++) {
            if (isInfrastructureItself(e)) {
                return true;
            }
            e = e.getCause() == e ? null : e.getCause();
        }
        return false;
    }

    private static boolean isInfrastructureItself(Throwable e) {
        if (e instanceof JedisConnectionException || e instanceof IOException || e instanceof TimeoutException
            || e instanceof ClientPoolTimeoutException || e instanceof BrokerUnavailableException
            || e instanceof ReplicasNotConfirmedException) {
            return true;
        }
        if (e instanceof JedisException && e.getMessage() != null) {
            String reply = e.getMessage().trim().toUpperCase(Locale.ROOT);
            for (String prefix : TRANSIENT_REPLIES) {
                if (reply.startsWith(prefix + " ") || reply.equals(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }
}
