package io.camelsandai.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Hands out shared {@link Broker} and {@link ResultBackend} resources, keyed exactly as the Python client's
 * sharing table: a resource is shared only when the whole key matches. The scope identity is the operator
 * ({@code name:version}) by default, or the process when the sharing scope is {@code process}.
 */
public final class Transports {
    private static final SharedRegistry<BrokerKey, Broker> BROKERS = new SharedRegistry<>();
    private static final SharedRegistry<BackendKey, ResultBackend> BACKENDS = new SharedRegistry<>();

    private Transports() {
    }

    /** Broker sharing key: scope identity, broker URL, task serializer, accept content, broker pool limit. */
    public record BrokerKey(String scopeIdentity, RedisUrl url, TlsSettings tls, String taskSerializer,
            Set<String> acceptContent, int poolLimit) {
        public BrokerKey {
            acceptContent = Set.copyOf(acceptContent); // compared as a set: order never matters
        }
    }

    /**
     * Backend sharing key: scope identity, backend URL, result serializer, accept content, backend pool limit, poll
     * concurrency.
     */
    public record BackendKey(String scopeIdentity, RedisUrl url, TlsSettings tls, String resultSerializer,
            Set<String> acceptContent, int poolLimit, int pollConcurrency) {
        public BackendKey {
            acceptContent = Set.copyOf(acceptContent); // compared as a set: order never matters
        }
    }

    /** Settings that are not part of the key but shape the resource the first client creates. */
    public record ResourceOptions(Duration acquireTimeout, Duration connectTimeout, int resultExpiresSeconds) {
        public ResourceOptions {
            Objects.requireNonNull(acquireTimeout);
            Objects.requireNonNull(connectTimeout);
        }
    }

    public static Broker acquireBroker(BrokerKey key, ResourceOptions options) {
        return BROKERS.acquire(key, k -> new Broker(k, options));
    }

    public static void releaseBroker(Broker broker) {
        BROKERS.release(broker.key(), broker);
    }

    public static ResultBackend acquireBackend(BackendKey key, ResourceOptions options) {
        return BACKENDS.acquire(key, k -> new ResultBackend(k, options));
    }

    public static void releaseBackend(ResultBackend backend) {
        BACKENDS.release(backend.key(), backend);
    }

    /** Number of live shared brokers and backends; for tests and diagnostics. */
    public static int liveResources() {
        return BROKERS.size() + BACKENDS.size();
    }

    /** Redis client names are single tokens: keep them printable and free of spaces. */
    static String clientName(String prefix, String scopeIdentity) {
        return (prefix + "-" + scopeIdentity).replaceAll("[^A-Za-z0-9_.:\\-]", "_");
    }
}
