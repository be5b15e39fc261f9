package io.camelsandai.codec;

import java.math.BigDecimal;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The integer fast path of {@link PythonFloat#repr} gives the digits of the exact BigDecimal path wherever it gives
 * any (the exact path itself is checked against Python by {@link CodecOracleTest}), and it does give them for
 * Celery deadlines, the floats every task message carries.
 */
class ShortestByLongsTest {

    @Test
    void agreesWithTheExactPathWhereverItAnswers() {
        Random random = new Random(20261202);
        int answered = 0;
        for (int i = 0; i < 400_000; i++) {
            double value = switch (i % 4) {
                case 0 -> Math.abs(Double.longBitsToDouble(random.nextLong()));
                // magnitudes 2^-20 .. 2^52, where the fast path applies, with random significand bits
                case 1 -> Double.longBitsToDouble((random.nextLong() & 0x000F_FFFF_FFFF_FFFFL)
                                                  | ((long) (1003 + random.nextInt(72)) << 52));
                case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
                default -> 1.7e9 + random.nextInt(200_000_000) + random.nextInt(1_000_000) / 1e6;
            };
            if (!(value > 0) || Double.isInfinite(value)) {
                continue;
            }
            long fast = ShortestByLongs.digits(value);
            if (fast >= 0) {
                answered++;
                BigDecimal exact = PythonFloat.shortestRoundTrip(value);
                assertEquals(exact.unscaledValue().longValueExact(), fast / 100, "digits of " + value);
                assertEquals(exact.scale(), fast % 100, "decimals of " + value);
            }
        }
        assertTrue(answered > 200_000, "the fast path answered only " + answered + " times");
    }

    @Test
    void deadlinesTakeTheFastPathAndReprAsPython() {
        assertEquals(1795422397590156L * 100 + 6, ShortestByLongs.digits(1795422397.590156));
        assertEquals("1795422397.590156", PythonFloat.repr(1795422397.590156));
        assertEquals("0.1", PythonFloat.repr(0.1)); // one digit: the exact path, as before
        assertEquals(-1, ShortestByLongs.digits(0.5)); // a power of two
        assertEquals(-1, ShortestByLongs.digits(1e23)); // an integer
        assertEquals("0.30000000000000004", PythonFloat.repr(0.1 + 0.2));
        assertEquals("-123456789.123456", PythonFloat.repr(-123456789.123456));
    }
}
