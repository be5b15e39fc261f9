package io.camelsandai.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** An amqp:// broker URL selects RabbitMQ; the result backend then has to be rpc:// or a Redis URL; no password shows. */
class AmqpSettingsTest {

    @Test
    void amqpBrokerSelectsRabbitMqAndKeepsTheRedisBackend() {
        OperatorSettings s = OperatorSettings.builder().brokerUrl("amqp://sandai:s3cret@rabbit:5672/prod")
                .resultBackendUrl("redis://:redispw@redis:6379/2").build();
        assertTrue(s.isAmqpBroker());
        assertNull(s.brokerUrl());
        assertEquals("prod", s.amqpBrokerUrl().virtualHost());
        assertEquals(2, s.resultBackendUrl().database());
        assertEquals("amqp://sandai:***@rabbit:5672/prod", s.brokerLocation());
        assertFalse(s.toString().contains("s3cret"), s.toString());
        assertFalse(s.toString().contains("redispw"), s.toString());
    }

    @Test
    void redisBrokerStaysRedis() {
        OperatorSettings s = OperatorSettings.builder().brokerUrl("redis://h:6379/0").build();
        assertFalse(s.isAmqpBroker());
        assertNull(s.amqpBrokerUrl());
        assertEquals("redis://h:6379/0", s.brokerLocation());
    }

    @Test
    void amqpBrokerNeedsARedisResultBackend() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> OperatorSettings.builder().brokerUrl("amqp://u:s3cret@rabbit/").build());
        assertTrue(none.getMessage().contains("resultBackendUrl"), none.getMessage());
        assertFalse(none.getMessage().contains("s3cret"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OperatorSettings.builder().brokerUrl("amqp://rabbit/")
                .resultBackendUrl("amqp://rabbit/").build());
    }

    @Test
    void rpcResultBackendGoesWithAnAmqpBrokerOnly() {
        OperatorSettings s = OperatorSettings.builder().brokerUrl("amqp://u:s3cret@rabbit/").resultBackendUrl("rpc://")
                .build();
        assertTrue(s.isRpcBackend());
        assertNull(s.resultBackendUrl());
        assertEquals("rpc://", s.resultBackendLocation());
        assertTrue(s.toString().contains("backend=rpc://"), s.toString());
        assertFalse(s.toString().contains("s3cret"), s.toString());
        assertTrue(OperatorSettings.builder().brokerUrl("amqps://rabbit/").resultBackendUrl("RPC").build()
                .isRpcBackend(), "Celery's other spelling");
        assertFalse(OperatorSettings.builder().brokerUrl("amqp://rabbit/").resultBackendUrl("redis://r:6379/1").build()
                .isRpcBackend());

        IllegalArgumentException onRedis = assertThrows(IllegalArgumentException.class,
                () -> OperatorSettings.builder().brokerUrl("redis://:pw@h:6379/0").resultBackendUrl("rpc://").build());
        assertTrue(onRedis.getMessage().contains("amqp://"), onRedis.getMessage());
        assertFalse(onRedis.getMessage().contains(":pw@"), onRedis.getMessage());
    }

    @Test
    void runtimeSettingsTakeRabbitMqAndRpcResultsFromTheConnectionAlone() {
        io.camelsandai.operator.OperatorRuntimeSettings rpc = io.camelsandai.operator.OperatorRuntimeSettings
                .builder("op", "v1").connection(OperatorSettings.builder().brokerUrl("amqp://u:p@rabbit:5672/prod")
                        .resultBackendUrl("rpc://").environment(k -> null).build()).build();
        assertEquals("prod", rpc.amqpBroker().virtualHost());
        assertTrue(rpc.rpcResults(), "rpc:// backend: results to reply_to, no Redis URL anywhere");
        assertNull(rpc.connection().brokerUrl());
        assertNull(rpc.connection().resultBackendUrl());

        io.camelsandai.operator.OperatorRuntimeSettings redis = io.camelsandai.operator.OperatorRuntimeSettings
                .builder("op", "v1").connection(OperatorSettings.builder().brokerUrl("amqp://rabbit/")
                        .resultBackendUrl("redis://r:6379/3").environment(k -> null).build()).build();
        assertTrue(redis.amqpBroker() != null);
        assertFalse(redis.rpcResults());
        assertEquals(3, redis.connection().resultBackendUrl().database());
    }
}
