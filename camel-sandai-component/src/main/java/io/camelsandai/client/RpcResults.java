package io.camelsandai.client;

import java.io.IOException;

import io.camelsandai.model.BrokerUnavailableException;
import io.camelsandai.transport.amqp.AmqpConnectionSettings;
import io.camelsandai.transport.amqp.RpcResultConsumer;

/** Opens the rpc:// result consumer of one {@link OperatorClient}: its own reply queue, on its own connection. */
final class RpcResults {
    private RpcResults() {
    }

    /**
     * @param replyTo the {@code reply_to} the client puts on every task, hence the reply queue's name
     * @throws BrokerUnavailableException when RabbitMQ cannot be reached (sanitized URL, no password)
     */
    static RpcResultConsumer open(OperatorSettings settings, String scope, String replyTo) {
        AmqpConnectionSettings connection = new AmqpConnectionSettings(AmqpConnectionSettings.CELERY_HEARTBEAT,
                settings.connectTimeout(), AmqpConnectionSettings.DEFAULT_RECOVERY, settings.tls());
        try {
            return new RpcResultConsumer(settings.amqpBrokerUrl(), connection,
                    ("sandai-rpc-" + scope).replaceAll("[^A-Za-z0-9_.:\\-]", "_"), replyTo,
                    settings.resultExpiresSeconds());
        } catch (IOException e) {
            throw new BrokerUnavailableException(e.getMessage(), e);
        }
    }
}
