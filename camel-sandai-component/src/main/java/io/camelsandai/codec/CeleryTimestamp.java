package io.camelsandai.codec;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
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
            return LocalDateTime.of(date, time).toInstant(offset(m.group(8)));
        } catch (DateTimeException e) {
            throw new MalformedMessageException("not a valid datetime: " + e.getMessage());
        }
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
