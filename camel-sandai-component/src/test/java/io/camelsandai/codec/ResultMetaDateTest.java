package io.camelsandai.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** {@code date_done}, written by hand, equals what the JDK's formatter writes (Celery's naive UTC with microseconds). */
class ResultMetaDateTest {
    private static final DateTimeFormatter ORACLE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private static String oracle(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC).format(ORACLE);
    }

    @Test
    void sameTextAsTheFormatterOverTheYears() {
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 50_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_799L), random.nextInt(1_000_000_000));
            assertEquals(oracle(t), ResultMeta.celeryDate(t), t.toString());
        }
        for (String edge : new String[]{"1970-01-01T00:00:00Z", "2000-02-29T23:59:59.999999999Z",
                "2026-12-31T23:59:59.000001Z", "9999-12-31T23:59:59.999999Z", "2026-12-02T09:05:07.000000500Z"}) {
            Instant t = Instant.parse(edge);
            assertEquals(oracle(t), ResultMeta.celeryDate(t), edge);
        }
    }

    @Test
    void finalStatesAreDatedNow() {
        String before = oracle(Instant.now());
        String dated = ResultMeta.of("t", CeleryState.SUCCESS, null, null).dateDone();
        assertTrue(dated.compareTo(before) >= 0 && dated.compareTo(oracle(Instant.now())) <= 0, dated);
        assertEquals(null, ResultMeta.of("t", CeleryState.PROGRESS, null, null).dateDone());
    }
}
