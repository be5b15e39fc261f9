package io.camelsandai.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** An amqp:// broker URL selects RabbitMQ; the result backend then has to be a Redis URL; no password shows. */
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
}
