package io.camelsandai.transport.amqp;

import java.time.Duration;
import java.util.Objects;

import io.camelsandai.transport.TlsSettings;
import io.camelsandai.util.Backoff;

/**
 * How to connect to RabbitMQ, apart from the URL: heartbeat, connect timeout, the pause between recovery attempts, and
 * the TLS material used for {@code amqps://} (the same options as {@code rediss://}).
 *
 * <p>Defaults follow Celery 5.2: {@code broker_heartbeat = 120} s, {@code broker_connection_timeout = 4} s.
 */
public record AmqpConnectionSettings(Duration heartbeat, Duration connectTimeout, Backoff recovery, TlsSettings tls) {

    public static final Duration CELERY_HEARTBEAT = Duration.ofSeconds(120);
    public static final Duration CELERY_CONNECT_TIMEOUT = Duration.ofSeconds(4);
    /** Reconnect quickly first (a broker restart is short), then no more often than every 5 s. */
    public static final Backoff DEFAULT_RECOVERY = Backoff.REDIS_RECONNECT;

    public static final AmqpConnectionSettings DEFAULT
            = new AmqpConnectionSettings(CELERY_HEARTBEAT, CELERY_CONNECT_TIMEOUT, DEFAULT_RECOVERY, TlsSettings.DEFAULT);

    public AmqpConnectionSettings {
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(recovery, "recovery");
        Objects.requireNonNull(tls, "tls");
        if (heartbeat.isNegative() || connectTimeout.isNegative()) {
            throw new IllegalArgumentException("heartbeat and connect timeout must not be negative");
        }
    }

    public AmqpConnectionSettings withTls(TlsSettings tls) {
        return new AmqpConnectionSettings(heartbeat, connectTimeout, recovery, tls);
    }

    public AmqpConnectionSettings withRecovery(Backoff recovery) {
        return new AmqpConnectionSettings(heartbeat, connectTimeout, recovery, tls);
    }
}
