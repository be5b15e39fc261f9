package io.camelsandai.codec;

/**
 * {@link PythonFloat#shortestRoundTrip}'s answer in 128-bit integer arithmetic, for the doubles where that fits:
 * a fraction part (binary exponent below zero, at most 70 fraction bits) and at most 18 decimals, which covers
 * Celery deadlines ({@code 1795422397.590156}) and most everyday numbers. Every other double, and any case this
 * class cannot settle, goes to the exact BigDecimal path, which costs several microseconds and most of the garbage
 * of encoding a task message (a 40-digit exact expansion rounded four times).
 *
 * <p>The same rule as the exact path's first branch: {@code Double.toString} proposes n digits; they are the answer
 * when the value rounded to n digits reads back as the value and rounded to n-1 digits does not. With
 * {@code value = m·2^-s} and a candidate {@code C·10^-k}: rounding to k decimals is {@code C = round(m·10^k / 2^s)}
 * (half to even, as {@code MathContext} HALF_EVEN), and C reads back as the value when it lies within half a unit
 * in the last place of it, {@code |C·2^s - m·10^k| < 10^k / 2} (equal: the tie goes to an even m), the neighbours
 * of a double that is not a power of two being one unit away on both sides.
 */
final class ShortestByLongs {
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private ShortestByLongs() {
    }

    /**
     * {@code digits * 100 + decimals} (value = digits / 10^decimals, digits without trailing zeros), or -1 when
     * this cannot say; {@code value} is positive and finite.
     */
    static long digits(double value) {
        long bits = Double.doubleToRawLongBits(value);
        int biased = (int) (bits >>> 52);
        long fraction = bits & 0x000F_FFFF_FFFF_FFFFL;
        if (biased == 0 || fraction == 0) {
            return -1; // subnormal, or a power of two (its lower neighbour is half a unit closer)
        }
        long m = fraction | (1L << 52);
        int s = 1075 - biased; // value = m / 2^s; a unit in the last place is 1 / 2^s
        if (s <= 0 || s > 70) {
            return -1; // an integer, or too many fraction bits for 128 bits
        }
        // toString's proposal: its significant digits (trailing zeros dropped) and how many decimals they stand for
        String text = Double.toString(value);
        int e = text.indexOf('E');
        int end = e < 0 ? text.length() : e;
        long proposed = 0;
        int k = e < 0 ? 0 : -Integer.parseInt(text, e + 1, text.length(), 10);
        boolean afterPoint = false;
        for (int i = 0; i < end; i++) {
            char ch = text.charAt(i);
            if (ch == '.') {
                afterPoint = true;
            } else {
                proposed = proposed * 10 + (ch - '0');
                k += afterPoint ? 1 : 0;
            }
        }
        while (proposed != 0 && proposed % 10 == 0) {
            proposed /= 10;
            k--;
        }
        if (proposed < 10 || k < 1 || k > 18) {
            return -1; // one digit, or no decimals: left to the exact path
        }
        long rounded = roundedTo(m, s, k);
        if (rounded != proposed || !readsBack(rounded, m, s, k)) {
            return -1; // toString and the exact rounding disagree: the exact path decides
        }
        long shorter = roundedTo(m, s, k - 1);
        if (shorter < 0 || readsBack(shorter * 10, m, s, k)) {
            return -1; // fewer digits would do (toString was not shortest): the exact path finds how many
        }
        return proposed * 100 + k;
    }

    /** {@code m·10^k / 2^s} rounded half to even (k ≤ 18, s ≤ 70, m < 2^53: the product fits 113 bits). */
    private static long roundedTo(long m, int s, int k) {
        long lo = m * POW10[k];
        long hi = Math.multiplyHigh(m, POW10[k]);
        long q;
        long remHi;
        long remLo;
        if (s < 64) {
            if (hi >>> (s - 1) != 0) {
                return -1; // the quotient would not fit: never a candidate of up to 18 digits
            }
            q = (lo >>> s) | (hi << (64 - s));
            remHi = 0;
            remLo = lo & ((1L << s) - 1);
        } else {
            q = hi >>> (s - 64);
            remHi = hi & ((1L << (s - 64)) - 1);
            remLo = lo;
        }
        // half = 2^(s-1)
        long halfHi = s - 1 >= 64 ? 1L << (s - 1 - 64) : 0;
        long halfLo = s - 1 >= 64 ? 0 : 1L << (s - 1);
        int cmp = compare(remHi, remLo, halfHi, halfLo);
        return cmp > 0 || cmp == 0 && (q & 1) == 1 ? q + 1 : q;
    }

    /** {@code |c·2^s - m·10^k| < 10^k / 2}, or equal with an even m: c / 10^k reads back as m / 2^s. */
    private static boolean readsBack(long c, long m, int s, int k) {
        if (c >= 1L << 57) {
            return false; // more than 17 digits: never a candidate here
        }
        long xLo = s >= 64 ? 0 : c << s;
        long xHi = s >= 64 ? c << (s - 64) : s == 0 ? 0 : c >>> (64 - s);
        long pLo = m * POW10[k];
        long pHi = Math.multiplyHigh(m, POW10[k]);
        long dLo;
        long dHi;
        if (compare(xHi, xLo, pHi, pLo) >= 0) {
            dLo = xLo - pLo;
            dHi = xHi - pHi - (Long.compareUnsigned(xLo, pLo) < 0 ? 1 : 0);
        } else {
            dLo = pLo - xLo;
            dHi = pHi - xHi - (Long.compareUnsigned(pLo, xLo) < 0 ? 1 : 0);
        }
        if (dHi != 0 || dLo < 0) {
            return false; // 2^63 or more apart, far more than 10^18 / 2
        }
        if (dLo > POW10[k]) {
            return false;
        }
        long twice = dLo * 2; // at most 2·10^18 < 2^63
        return twice < POW10[k] || twice == POW10[k] && (m & 1) == 0;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int hi = Long.compareUnsigned(aHi, bHi);
        return hi != 0 ? hi : Long.compareUnsigned(aLo, bLo);
    }
}
