package io.camelsandai.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The one duration rule: a bare number is seconds; units and ISO-8601 also work; negative or garbage is refused. */
class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
            "30, 30000",
            "0, 0",
            "1.5, 1500",
            "0.25, 250",
            "' 30 ', 30000",
            "500ms, 500",
            "30s, 30000",
            "30S, 30000",
            "1.5s, 1500",
            "5m, 300000",
            "2h, 7200000",
            "1d, 86400000",
            "1h30m, 5400000",
            "'1m 30s', 90000",
            "'30 s', 30000",
            "PT30S, 30000",
            "pt1m, 60000",
            "P1D, 86400000",
            "PT0.5S, 500" })
    void readsEveryAcceptedForm(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse("timeout", text));
    }

    @Test
    void bareNumberIsSecondsNotMilliseconds() {
        // Camel's own String -> Duration conversion reads "30" as 30 ms; the Python client and Celery read seconds.
        assertEquals(Duration.ofSeconds(30), Durations.parse("timeout", "30"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "-5", "-5s", "-PT5S", "PT-5S", " -1ms" })
    void negativeIsRefusedNamingTheOption(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Durations.parse("visibilityTimeout", text));
        assertTrue(e.getMessage().startsWith("visibilityTimeout: '"), e.getMessage());
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
        assertTrue(e.getMessage().contains(Durations.ACCEPTED_FORMS), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "soon", "30 seconds", "5x", "1e3", "30s5", "s", "1..5", "PT", "P1Y", "0x10",
                             "9999999999999999999999d" })
    void garbageIsRefusedNamingTheOption(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Durations.parse("cancelTtl", text));
        assertTrue(e.getMessage().startsWith("cancelTtl: '"), e.getMessage());
        assertTrue(e.getMessage().contains("500ms, 30s, 5m, 2h, 1d"), e.getMessage());
        assertTrue(e.getMessage().contains("PT30S"), e.getMessage());
    }

    @Test
    void objectsFromHeaders() {
        assertEquals(Duration.ofSeconds(30), Durations.fromObject("h", 30));
        assertEquals(Duration.ofSeconds(30), Durations.fromObject("h", 30L));
        assertEquals(Duration.ofMillis(1500), Durations.fromObject("h", 1.5d));
        assertEquals(Duration.ofMillis(1500), Durations.fromObject("h", new BigDecimal("1.5")));
        assertEquals(Duration.ofMillis(300), Durations.fromObject("h", "300ms"));
        assertEquals(Duration.ofMinutes(2), Durations.fromObject("h", Duration.ofMinutes(2)));
        assertNull(Durations.fromObject("h", null));
        assertThrows(IllegalArgumentException.class, () -> Durations.fromObject("h", -1));
        assertThrows(IllegalArgumentException.class, () -> Durations.fromObject("h", Duration.ofSeconds(-1)));
    }

    @Test
    void optionalTextMayBeAbsent() {
        assertNull(Durations.parseOptional("o", null));
        assertNull(Durations.parseOptional("o", "  "));
        assertEquals(Duration.ofSeconds(5), Durations.parseOptional("o", "5"));
    }

    @ParameterizedTest
    @CsvSource({ "30s, PT30S", "500ms, PT0.5S", "5m, PT5M", "2h, PT2H", "1d, P1D", "90s, PT1M30S", "0s, PT0S" })
    void formatReadsBack(String text, String iso) {
        assertEquals(text, Durations.format(Duration.parse(iso)));
        assertEquals(Duration.parse(iso), Durations.parse("o", Durations.format(Duration.parse(iso))));
    }
}
