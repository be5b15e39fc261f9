package io.camelsandai.client;

import java.time.Duration;
import java.util.Map;

import io.camelsandai.model.ReplicasNotConfirmedException;
import io.camelsandai.transport.Durability;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Durable writes are off unless asked for, by builder or by the SANDAI_OPERATOR_DURABLE_* variables. */
class DurabilitySettingsTest {

    private static OperatorSettings.Builder env(Map<String, String> vars) {
        return OperatorSettings.builder().environment(vars::get);
    }

    @Test
    void offByDefault() {
        assertFalse(env(Map.of()).build().durability().enabled());
    }

    @Test
    void fromEnvironmentVariables() {
        Durability d = env(Map.of("SANDAI_OPERATOR_DURABLE_REPLICAS", "2", "SANDAI_OPERATOR_DURABLE_TIMEOUT", "250ms"))
                .build().durability();
        assertEquals(2, d.replicas());
        assertEquals(Duration.ofMillis(250), d.timeout());
        assertEquals(Duration.ofSeconds(3), env(Map.of("SANDAI_OPERATOR_DURABLE_REPLICAS", "1",
                "SANDAI_OPERATOR_DURABLE_TIMEOUT", "3")).build().durability().timeout(), "a bare number is seconds");
    }

    @Test
    void builderWinsOverEnvironment() {
        Durability d = env(Map.of("SANDAI_OPERATOR_DURABLE_REPLICAS", "2")).durableReplicas(1)
                .durableTimeout(Duration.ofSeconds(2)).build().durability();
        assertEquals(1, d.replicas());
        assertEquals(Duration.ofSeconds(2), d.timeout());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> env(Map.of("SANDAI_OPERATOR_DURABLE_REPLICAS", "-1")).build());
        assertThrows(IllegalArgumentException.class, () -> env(Map.of("SANDAI_OPERATOR_DURABLE_REPLICAS", "1",
                "SANDAI_OPERATOR_DURABLE_TIMEOUT", "0s")).build());
        assertThrows(IllegalArgumentException.class, () -> env(Map.of("SANDAI_OPERATOR_DURABLE_TIMEOUT", "soon"))
                .build());
    }

    @Test
    void shortfallNamesAckedAndWanted() {
        ReplicasNotConfirmedException e = assertThrows(ReplicasNotConfirmedException.class,
                () -> new Durability(2, Duration.ofMillis(500)).check("task sent to q", 1));
        assertEquals(1, e.acked());
        assertEquals(2, e.wanted());
        assertEquals("task sent to q is not durable: 1 of 2 replicas acknowledged it within 500 ms", e.getMessage());
    }
}
