package io.camelsandai.codec;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a double exactly as Python's {@code repr(float)} (and so {@code json.dumps}) does: shortest round-trip
 * digits, positional notation for 1e-4 &lt;= |x| &lt; 1e16, else {@code d.ddde+XX}. Celery deadlines such as
 * {@code 1795422397.590156} must keep this form; Java's {@code Double.toString} would write {@code 1.795422397590156E9}.
 */
final class PythonFloat {
    private PythonFloat() {
    }

    static String repr(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0.0) {
            return (1.0 / value < 0) ? "-0.0" : "0.0";
        }
        String digits;
        int exponent; // value = d.ddd * 10^exponent
        long fast = ShortestByLongs.digits(Math.abs(value));
        if (fast > 0) {
            digits = Long.toString(fast / 100);
            exponent = digits.length() - 1 - (int) (fast % 100);
        } else {
            BigDecimal decimal = shortestRoundTrip(Math.abs(value));
            digits = decimal.unscaledValue().toString();
            exponent = digits.length() - 1 - decimal.scale();
        }
        StringBuilder out = new StringBuilder(digits.length() + 8);
        if (value < 0) {
            out.append('-');
        }
        if (exponent >= 16 || exponent < -4) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                out.append('0');
            }
            out.append(abs);
        } else if (exponent < 0) {
            out.append("0.");
            out.append("0".repeat(-exponent - 1));
            out.append(digits);
        } else if (digits.length() <= exponent + 1) {
            out.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
        } else {
            out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
        }
        return out.toString();
    }

    /**
     * The shortest decimal that reads back as {@code value}, and among those the nearest, which is what Python's
     * repr prints. JDK 17's {@code Double.toString} is not always shortest (1e23 prints as 9.999999999999999E22,
     * JDK-4511638). The nearest p-digit decimal round-trips for every p from some point on, so the first such p is
     * found by binary search.
     */
    static BigDecimal shortestRoundTrip(double value) {
        BigDecimal exact = new BigDecimal(value);
        // Double.toString's digit count is an upper bound that is almost always exact: confirm it with two roundings.
        int guess = new BigDecimal(Double.toString(value)).stripTrailingZeros().precision();
        if (guess > 1 && guess <= 17
            && exact.round(new MathContext(guess, RoundingMode.HALF_EVEN)).doubleValue() == value
            && exact.round(new MathContext(guess - 1, RoundingMode.HALF_EVEN)).doubleValue() != value) {
            return exact.round(new MathContext(guess, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        }
        int low = 1;
        int high = 17; // 17 significant digits always round-trip a double
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (exact.round(new MathContext(mid, RoundingMode.HALF_EVEN)).doubleValue() == value) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return exact.round(new MathContext(low, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

}
