package io.camelsandai.transport.amqp;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.camelsandai.util.DaemonThreads;

/**
 * Builds RabbitMQ connections the way every AMQP part of the component needs them: automatic connection recovery
 * <em>and</em> topology recovery on (a broker restart or a cut connection comes back with its queues, bindings and
 * consumers), heartbeats so a dead peer is noticed, a bounded connect timeout, TLS for {@code amqps://} from the same
 * {@link io.camelsandai.transport.TlsSettings} as {@code rediss://}, and daemon threads so an unclosed connection never
 * keeps a JVM alive.
 */
public final class AmqpConnections {
    private AmqpConnections() {
    }

    /** A configured factory; each {@code newConnection} of it opens one recovering connection. */
    public static ConnectionFactory factory(AmqpUrl url, AmqpConnectionSettings settings) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(url.host());
        f.setPort(url.port());
        f.setVirtualHost(url.virtualHost());
        f.setUsername(url.user());
        f.setPassword(url.password());
        f.setRequestedHeartbeat(Math.toIntExact(settings.heartbeat().toSeconds()));
        f.setConnectionTimeout(Math.toIntExact(settings.connectTimeout().toMillis()));
        f.setHandshakeTimeout(Math.toIntExact(Math.max(settings.connectTimeout().toMillis(), 10_000)));
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(true);
        // util.Backoff's schedule: the n-th recovery attempt waits backoff.delay(n)
        f.setRecoveryDelayHandler(attempt -> settings.recovery().delay(Math.max(0, attempt)).toMillis());
        f.setThreadFactory(DaemonThreads.factory("sandai-amqp-"));
        if (url.isTls()) {
            f.useSslProtocol(settings.tls().sslContext());
            if (settings.tls().verifyHostname()) {
                f.enableHostnameVerification();
            }
        }
        return f;
    }

    /**
     * Opens one recovering connection, named (shown in the RabbitMQ management UI and {@code rabbitmqctl}) so an
     * operator can tell which client holds it.
     *
     * @throws IOException with the sanitized URL (never the password) when the broker cannot be reached or refuses
     */
    public static Connection open(AmqpUrl url, AmqpConnectionSettings settings, String connectionName)
            throws IOException {
        try {
            return factory(url, settings).newConnection(connectionName);
        } catch (TimeoutException e) {
            throw new IOException("Timed out connecting to RabbitMQ at " + url, e);
        } catch (IOException e) {
            throw new IOException("Cannot connect to RabbitMQ at " + url + ": " + describe(e), e);
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
