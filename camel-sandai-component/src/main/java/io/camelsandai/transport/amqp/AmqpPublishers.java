package io.camelsandai.transport.amqp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import io.camelsandai.model.BrokerUnavailableException;
import io.camelsandai.transport.SharedRegistry;
import io.camelsandai.transport.TlsSettings;

/**
 * Shared {@link AmqpPublisher}s, as {@code transport.Transports} shares Redis brokers: one connection per broker URL,
 * TLS material and scope identity (the operator, or the process), reference-counted and closed by its last user.
 */
public final class AmqpPublishers {
    private static final SharedRegistry<Key, AmqpPublisher> PUBLISHERS = new SharedRegistry<>();

    /** Sharing key: a publisher is shared only when all of it matches. */
    public record Key(String scopeIdentity, AmqpUrl url, TlsSettings tls) {
    }

    private AmqpPublishers() {
    }

    /**
     * @throws BrokerUnavailableException when the first connection cannot be opened (sanitized URL, no password)
     */
    public static AmqpPublisher acquire(Key key, Duration connectTimeout, Duration recoveryWait) {
        try {
            return PUBLISHERS.acquire(key, k -> {
                AmqpConnectionSettings settings = new AmqpConnectionSettings(AmqpConnectionSettings.CELERY_HEARTBEAT,
                        connectTimeout, AmqpConnectionSettings.DEFAULT_RECOVERY, k.tls());
                try {
                    return new AmqpPublisher(k.url(), settings,
                            ("sandai-publisher-" + k.scopeIdentity()).replaceAll("[^A-Za-z0-9_.:\\-]", "_"),
                            recoveryWait);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw new BrokerUnavailableException(e.getCause().getMessage(), e.getCause());
        }
    }

    public static void release(Key key, AmqpPublisher publisher) {
        PUBLISHERS.release(key, publisher);
    }

    /** Live shared publishers; for tests and diagnostics. */
    public static int live() {
        return PUBLISHERS.size();
    }
}
