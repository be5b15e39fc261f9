package io.camelsandai.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reading of a duration a user writes, on every surface (URI options, {@code CamelSandai*} headers, route
 * template parameters, starter properties, {@code SANDAI_OPERATOR_*} and bridge environment variables).
 *
 * <p>A bare number is <b>seconds</b> ({@code 30}, {@code 1.5}), as in the Python client, Celery and kombu, whose
 * settings users copy; Camel's own String to Duration conversion would read it as milliseconds, which is why the
 * component's duration options are text parsed here rather than {@code java.time.Duration} options. Also accepted:
 * a number with a unit {@code ms}, {@code s}, {@code m}, {@code h}, {@code d} ({@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 2h}, {@code 1d}), a sum of them ({@code 1h30m}), and ISO-8601 ({@code PT30S}, {@code P1D}).
 * Negative values are refused.
 */
public final class Durations {

    /** The accepted forms, quoted by every error message. */
    public static final String ACCEPTED_FORMS =
            "a number of seconds (30, 1.5), a number with a unit ms, s, m, h or d (500ms, 30s, 5m, 2h, 1d, 1h30m), "
            + "or ISO-8601 (PT30S)";

    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?|\\.\\d+");
    private static final Pattern PART = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(ms|s|m|h|d)\\s*");
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

    private Durations() {
    }

    /**
     * Reads {@code text} as a duration.
     *
     * @param option what the user set, named in the error (an option, header, parameter or variable name)
     * @throws IllegalArgumentException naming {@code option} and the accepted forms, when {@code text} is blank,
     *                                  unparsable or negative
     */
    public static Duration parse(String option, String text) {
        if (text == null || text.isBlank()) {
            throw invalid(option, text, "is empty");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("-")) {
            throw invalid(option, text, "is negative");
        }
        if (t.startsWith("p")) {
            return iso(option, text, t);
        }
        if (NUMBER.matcher(t).matches()) {
            return ofNanos(option, text, new BigDecimal(t).multiply(NANOS_PER_SECOND));
        }
        Matcher m = PART.matcher(t);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < t.length()) {
            if (!m.find(at) || m.start() != at) {
                throw invalid(option, text, "is not a duration");
            }
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(unitNanos(m.group(2))));
            at = m.end();
        }
        return ofNanos(option, text, nanos);
    }

    /** {@link #parse} for optional settings: null or blank text is null (unset). */
    public static Duration parseOptional(String option, String text) {
        return text == null || text.isBlank() ? null : parse(option, text);
    }

    /**
     * A duration given as an object, e.g. a header value: a {@link Duration} as it is, a number as seconds, anything
     * else as its text. Null stays null.
     */
    public static Duration fromObject(String option, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Duration d) {
            if (d.isNegative()) {
                throw invalid(option, d.toString(), "is negative");
            }
            return d;
        }
        if (value instanceof Number n) {
            return parse(option, new BigDecimal(n.toString()).toPlainString());
        }
        return parse(option, value.toString());
    }

    /** Shortest text that {@link #parse} reads back to the same duration, e.g. {@code 30s}, {@code 500ms}, {@code 1d}. */
    public static String format(Duration d) {
        if (d.getNano() != 0) {
            return d.getNano() % 1_000_000 == 0 ? d.toMillis() + "ms" : d.toString();
        }
        long s = d.getSeconds();
        if (s != 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s != 0 && s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    private static Duration iso(String option, String text, String lower) {
        try {
            Duration d = Duration.parse(lower.toUpperCase(Locale.ROOT));
            if (d.isNegative()) {
                throw invalid(option, text, "is negative");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw invalid(option, text, "is not a duration");
        }
    }

    private static BigDecimal unitNanos(String unit) {
        long nanos = switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L; // d: the pattern admits no other unit
        };
        return BigDecimal.valueOf(nanos);
    }

    private static Duration ofNanos(String option, String text, BigDecimal nanos) {
        BigInteger whole = nanos.toBigInteger();
        BigInteger[] secondsAndNanos = whole.divideAndRemainder(NANOS_PER_SECOND.toBigInteger());
        if (secondsAndNanos[0].bitLength() > 62) {
            throw invalid(option, text, "is too long");
        }
        return Duration.ofSeconds(secondsAndNanos[0].longValue(), secondsAndNanos[1].longValue());
    }

    private static IllegalArgumentException invalid(String option, String text, String problem) {
        return new IllegalArgumentException(option + ": '" + (text == null ? "" : text) + "' " + problem
                                            + "; write " + ACCEPTED_FORMS);
    }
}
