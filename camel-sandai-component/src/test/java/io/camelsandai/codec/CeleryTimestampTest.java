package io.camelsandai.codec;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The eta / expires datetimes as Celery clients write them, and the ones the Celery worker refuses. */
class CeleryTimestampTest {

    @Test
    void readsWhatCeleryClientsWrite() {
        // send_task(countdown=...) / expires=seconds: aware isoformat with microseconds
        assertEquals(Instant.parse("2026-11-23T12:55:34.046918Z"), CeleryTimestamp.parse("2026-11-23T12:55:34.046918+00:00"));
        // a naive datetime is UTC, as the Celery 5.2 worker reads it
        assertEquals(Instant.parse("2020-01-01T00:00:00Z"), CeleryTimestamp.parse("2020-01-01T00:00:00"));
        assertEquals(Instant.parse("2026-11-23T07:25:34.5Z"), CeleryTimestamp.parse("2026-11-23T12:55:34.5+05:30"));
        assertEquals(Instant.parse("2026-11-23T14:00:00Z"), CeleryTimestamp.parse("2026-11-23 12:00-0200"));
        assertEquals(Instant.parse("2026-11-23T12:00:00Z"), CeleryTimestamp.parse("2026-11-23T12:00:00Z"));
        assertEquals(Instant.parse("2026-11-23T00:00:00Z"), CeleryTimestamp.parse("2026-11-23"));
    }

    @Test
    void isoformatIsPythonsDatetimeIsoformat() {
        // the reference values are Python's datetime.fromisoformat(text).isoformat()
        assertEquals("2026-11-23T12:55:34.046918+00:00",
                CeleryTimestamp.isoformat(CeleryTimestamp.parseWithOffset("2026-11-23T12:55:34.046918+00:00")));
        assertEquals("2026-11-23T12:55:34.500000+05:30",
                CeleryTimestamp.isoformat(CeleryTimestamp.parseWithOffset("2026-11-23T12:55:34.5+05:30")));
        assertEquals("2020-01-01T00:00:00+00:00",
                CeleryTimestamp.isoformat(CeleryTimestamp.parseWithOffset("2020-01-01T00:00:00")));
        assertEquals("2026-11-23T12:00:00-02:00",
                CeleryTimestamp.isoformat(CeleryTimestamp.parseWithOffset("2026-11-23 12:00-0200")));
    }

    @Test
    void refusesWhatIsNotADatetime() {
        for (String bad : List.of("", "not-a-date", "2026-13-01T00:00:00", "2026-11-23T25:00:00", "1795422397.5",
                "2026-11-23T12:00:00+99:00")) {
            assertThrows(MalformedMessageException.class, () -> CeleryTimestamp.parse(bad), bad);
        }
    }

    @Test
    void envelopeHeadersAreOptionalButMustBeDatetimeTexts() {
        String envelope = TaskMessage.builder().taskName("t").queue("q").build().toEnvelope();
        assertNull(TaskEnvelope.parse(envelope).eta());
        assertNull(TaskEnvelope.parse(envelope).expires());
        TaskEnvelope number = TaskEnvelope.parse(envelope.replace("\"eta\": null", "\"eta\": 12345"));
        MalformedMessageException e = assertThrows(MalformedMessageException.class, number::eta);
        assertEquals("invalid ETA value: a number, not an ISO-8601 datetime text", e.getMessage());
        TaskEnvelope text = TaskEnvelope.parse(envelope.replace("\"expires\": null", "\"expires\": \"soon\""));
        assertThrows(MalformedMessageException.class, text::expires);
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), TaskEnvelope.parse(envelope.replace("\"eta\": null",
                "\"eta\": \"2026-01-01T00:00:00+00:00\"")).eta());
    }
}
