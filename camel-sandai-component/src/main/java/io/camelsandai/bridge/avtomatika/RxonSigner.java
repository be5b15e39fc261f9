package io.camelsandai.bridge.avtomatika;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The RXON "zero trust" signature (protocol section 5): drop the top-level {@code security} (and
 * {@code bubbling_chain} for events), drop null members at every level, write integral floats as integers, sort
 * keys, serialise compactly with raw UTF-8, then lowercase hex HMAC-SHA256 keyed with the worker's secret token.
 *
 * <p>The orchestrator does not check the bytes we send: it parses them and re-serialises with orjson. So the signed
 * bytes must be what orjson writes for the parsed value, which differs from Jackson in two places that matter for
 * real payloads: control characters are escaped with lowercase hex digits (backslash-u-001b), and floats use the shortest
 * round-trip digits laid out as orjson does ({@code 1767225600.5}, {@code 0.000015}, {@code 1e-7}, {@code 1.5e20}),
 * where Java would write {@code 1.7672256005E9}. Non-finite floats, which orjson turns into {@code null}, are
 * dropped like nulls. The same bytes are sent on the wire, so what is signed is exactly what is posted.
 */
public final class RxonSigner {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final byte[] secret;
    private final String signerId;

    /** @param secret the worker's individual token, else the global worker token (never the STS access token) */
    public RxonSigner(String secret, String signerId) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a signing secret is required");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.signerId = signerId;
    }

    /** A copy of {@code body} with nulls removed, integral floats as integers and {@code security} added. */
    public Map<String, Object> sign(Map<String, Object> body, boolean event) {
        Map<String, Object> clean = normalizeMap(body);
        clean.remove("security");
        Map<String, Object> signed = new TreeMap<>(clean);
        if (event) {
            signed.remove("bubbling_chain");
        }
        String signature = hmacHex(canonicalBytes(signed));
        Map<String, Object> security = new TreeMap<>();
        security.put("signature", signature);
        security.put("signer_id", signerId);
        clean.put("security", security);
        return clean;
    }

    public String hmacHex(byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Sorted, compact, UTF-8 JSON of an already normalised value, byte for byte as orjson writes it. */
    public static byte[] canonicalBytes(Object normalized) {
        StringBuilder out = new StringBuilder(256);
        write(normalized, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof CharSequence || value instanceof Character || value instanceof Enum<?>) {
            writeString(value.toString(), out);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            out.append(formatFloat(((Number) value).doubleValue()));
        } else if (value instanceof Number n) {
            out.append(n instanceof BigInteger big ? big.toString() : Long.toString(n.longValue()));
        } else if (value instanceof Object[] array) {
            write(List.of(array), out);
        } else {
            writeString(String.valueOf(value), out);
        }
    }

    /** orjson's escaping: quote, backslash and control characters only; the short forms for backspace, tab, newline, form feed and return, else backslash-u-00xx in lowercase. */
    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * A finite double as orjson (ryu) writes it: the shortest digits that read back as the same double, plain
     * notation while the decimal point falls within 16 places, else {@code d.ddde[-]x}.
     */
    static String formatFloat(double d) {
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        String sign = d < 0 ? "-" : "";
        BigDecimal shortest = shortest(Math.abs(d));
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int point = k - shortest.scale(); // the decimal point sits after this many digits
        StringBuilder out = new StringBuilder(sign);
        if (k <= point && point <= 16) {
            out.append(digits).append("0".repeat(point - k)).append(".0");
        } else if (0 < point && point <= 16) {
            out.append(digits, 0, point).append('.').append(digits, point, k);
        } else if (-5 < point && point <= 0) {
            out.append("0.").append("0".repeat(-point)).append(digits);
        } else {
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(point - 1);
        }
        return out.toString();
    }

    /** The fewest significant digits that parse back to {@code d} (Java 17's Double.toString is not always shortest). */
    private static BigDecimal shortest(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) {
                return candidate.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /** Nulls removed from objects (kept in arrays, as the server does), integral floats turned into integers. */
    static Map<String, Object> normalizeMap(Map<?, ?> map) {
        Map<String, Object> out = new TreeMap<>();
        map.forEach((k, v) -> {
            Object n = v == null ? null : normalize(v);
            if (n != null) {
                out.put(String.valueOf(k), n);
            }
        });
        return out;
    }

    /** Non-finite floats become null, as orjson writes them. */
    static Object normalize(Object value) {
        if (value instanceof Map<?, ?> map) {
            return normalizeMap(map);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(v == null ? null : normalize(v)));
            return out;
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                return null;
            }
            if (d == Math.rint(d)) {
                BigInteger whole = new BigDecimal(d).toBigInteger();
                return whole.compareTo(LONG_MIN) >= 0 && whole.compareTo(LONG_MAX) <= 0 ? (Object) whole.longValue() : whole;
            }
            return d;
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        return value;
    }
}
