package io.camelsandai.codec;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ISO-8601 datetimes of the Celery {@code eta} and {@code expires} headers. Celery 5.x clients write
 * {@code datetime.isoformat()} of an aware datetime ({@code 2026-11-23T12:55:34.046918+00:00}); a naive value
 * (no offset, as {@code send_task(expires=datetime(...))} with a naive datetime writes) is UTC, which is how the
 * Celery 5.2 worker reads it too. Accepted: a date, optionally a time ({@code T} or space separated, seconds and
 * fraction optional), optionally {@code Z} or an offset {@code ±HH:MM}, {@code ±HHMM} or {@code ±HH}.
 */
public final class CeleryTimestamp {
    private static final Pattern ISO = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})"
            + "(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9})\\d*)?)?)?"
            + "(Z|z|[+-]\\d{2}(?::?\\d{2})?)?");

    private CeleryTimestamp() {
    }

    /**
     * Parses one header value.
     *
     * @throws MalformedMessageException when the value is not such a datetime (Celery refuses the task then)
     */
    public static Instant parse(String text) {
        return parseWithOffset(text).toInstant();
    }

    /**
     * Parses one header value keeping its offset (a naive value gets {@code +00:00}), as the Celery 5.2 worker's
     * {@code Request.eta} holds it.
     *
     * @throws MalformedMessageException when the value is not such a datetime
     */
    public static OffsetDateTime parseWithOffset(String text) {
        Matcher m = text == null ? null : ISO.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new MalformedMessageException("not an ISO-8601 datetime");
        }
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            LocalTime time = m.group(4) == null ? LocalTime.MIDNIGHT : LocalTime.of(Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)), m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
                    m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "00000000").substring(0, 9)));
            return OffsetDateTime.of(LocalDateTime.of(date, time), offset(m.group(8)));
        } catch (DateTimeException e) {
            throw new MalformedMessageException("not a valid datetime: " + e.getMessage());
        }
    }

    /**
     * Python's {@code datetime.isoformat()} of an aware datetime: microseconds only when not zero, offset as
     * {@code ±HH:MM} ({@code 2026-11-23T12:55:34.046918+00:00}).
     */
    public static String isoformat(OffsetDateTime t) {
        int micros = t.getNano() / 1000;
        String fraction = micros == 0 ? "" : String.format(".%06d", micros);
        String offset = t.getOffset().getTotalSeconds() == 0 ? "+00:00" : t.getOffset().getId();
        return String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond(), fraction, offset);
    }

    private static ZoneOffset offset(String zone) {
        if (zone == null || zone.equalsIgnoreCase("Z")) {
            return ZoneOffset.UTC;
        }
        int sign = zone.charAt(0) == '-' ? -1 : 1;
        String digits = zone.substring(1).replace(":", "");
        int hours = Integer.parseInt(digits.substring(0, 2));
        int minutes = digits.length() > 2 ? Integer.parseInt(digits.substring(2)) : 0;
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }
}
