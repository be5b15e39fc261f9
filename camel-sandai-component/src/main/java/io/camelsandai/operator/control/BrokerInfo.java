package io.camelsandai.operator.control;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelsandai.transport.RedisUrl;
import io.camelsandai.transport.amqp.AmqpUrl;

/**
 * The broker as {@code celery inspect stats} shows it under {@code "broker"} (kombu's {@code Connection.info()}
 * subset): where the worker is connected, never the password.
 *
 * @param transport   {@code redis}, {@code sentinel} or {@code amqp}
 * @param virtualHost the Redis database number, or the AMQP virtual host
 */
public record BrokerInfo(String transport, String host, int port, String user, String virtualHost, boolean ssl) {

    public static BrokerInfo of(RedisUrl url) {
        return new BrokerInfo(url.isSentinel() ? "sentinel" : "redis", url.host(), url.port(), url.user(),
                Integer.toString(url.database()), url.isTls());
    }

    public static BrokerInfo of(AmqpUrl url) {
        return new BrokerInfo("amqp", url.host(), url.port(), url.user(), url.virtualHost(), url.isTls());
    }

    Map<String, Object> asStats() {
        Map<String, Object> broker = new LinkedHashMap<>();
        broker.put("hostname", host);
        broker.put("userid", user);
        broker.put("virtual_host", virtualHost);
        broker.put("port", port);
        broker.put("insist", false);
        broker.put("ssl", ssl);
        broker.put("transport", transport);
        broker.put("alternates", List.of());
        return broker;
    }
}
