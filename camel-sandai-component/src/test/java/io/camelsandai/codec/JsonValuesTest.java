package io.camelsandai.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * {@link PythonJson#decode} reads JSON with {@link JsonValues} in one pass; the oracle is how it read JSON before:
 * Jackson's {@code readValue(..., Object.class)} with the same settings, then the kombu unwrapping copy. Every input
 * here, well-formed or not, must give the same value (same container classes) or the same error text.
 */
class JsonValuesTest {
    private static final JsonMapper ORACLE = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    static {
        ORACLE.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private static final List<String> CASES = List.of(
            "", " ", "null", " null ", "true", "false", "0", "-0", "12", "-9223372036854775808",
            "9223372036854775807", "9223372036854775808", "123456789012345678901234567890", "[123456789012345678901]",
            "1.5", "-1e300", "1e999", "NaN", "-Infinity", "Infinity", "[NaN, -Infinity]", "\"text\"",
            "\"\\u00e9\\ud83d\\ude00\\n\"", "{}", "[]", "[[]]", "[{}]", "{\"a\": {}}", "{\"a\": []}",
            "{\"a\": 1, \"a\": 2, \"b\": 3}", "{\"a\": 1} trailing", "{\"a\": 1}}", "[1, 2] [3]",
            "{\"__type__\": \"bytes\", \"__value__\": \"AAEC\"}",
            "{\"__type__\": \"decimal\", \"__value__\": \"1.50\"}",
            "{\"__type__\": \"datetime\", \"__value__\": \"2026-01-01T00:00:00\"}",
            "{\"x\": [{\"__type__\": \"uuid\", \"__value__\": \"abc\"}]}",
            "{\"__type__\": \"x\", \"__value__\": {\"__type__\": \"bytes\", \"__value__\": \"AAEC\"}}",
            "{\"__type__\": 5, \"__value__\": 1}", "{\"__type__\": \"bytes\", \"__value__\": 7}",
            "{\"__type__\": \"bytes\", \"__value__\": \"AA\", \"more\": 1}",
            "{\"\\u005f_type__\": \"decimal\", \"__value__\": \"2\"}",
            "{", "[", "{\"a\"", "{\"a\":", "{\"a\": 1", "[1,", "[1 2]", "{\"a\" 1}", "{a: 1}", "'x'", "]", "}",
            "nul", "tru", "01", "1.", "-", "\"unterminated", "\"bad \\x escape\"", "[1,]", "{\"a\": 1,}",
            "\u0001", "{\"a\": \"ctl \u0001 char\"}", "\"\u00e9\"", "[\"\ud83d\ude00\"]",
            "[".repeat(64) + "]".repeat(64), "[".repeat(65) + "]".repeat(65),
            "{\"a\": ".repeat(64) + "1" + "}".repeat(64), "{\"a\": ".repeat(65) + "1" + "}".repeat(65));

    @Test
    void handPickedInputsReadAsTheyDidBefore() {
        for (String json : CASES) {
            assertSameOutcome(json);
        }
    }

    @Test
    void randomDocumentsAndTheirCorruptionsReadAsTheyDidBefore() {
        Random random = new Random(20261202);
        for (int i = 0; i < 3000; i++) {
            StringBuilder out = new StringBuilder();
            writeRandom(random, out, 0);
            String json = out.toString();
            assertSameOutcome(json);
            assertSameOutcome(corrupt(random, json));
        }
    }

    @Test
    void aKombuEnvelopeReadsIntoMutableOrderedContainers() {
        String envelope = "{\"body\": \"kw==\", \"headers\": {\"lang\": \"py\", \"timelimit\": [null, null], "
                          + "\"retries\": 0}, \"properties\": {\"delivery_info\": {\"exchange\": \"\"}}}";
        Map<?, ?> map = assertInstanceOf(java.util.LinkedHashMap.class, PythonJson.decode(envelope));
        assertEquals(List.of("body", "headers", "properties"), new ArrayList<>(map.keySet()));
        Map<?, ?> headers = assertInstanceOf(java.util.LinkedHashMap.class, map.get("headers"));
        assertInstanceOf(ArrayList.class, headers.get("timelimit"));
        assertEquals(0L, headers.get("retries"));
    }

    private static void assertSameOutcome(String json) {
        assertEquals(oracle(json), outcome(() -> PythonJson.decode(json)), "text: " + json);
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        assertEquals(oracleBytes(utf8), outcome(() -> PythonJson.decode(utf8)), "bytes: " + json);
    }

    /** The value with its container classes spelled out, or the error text. */
    private static String outcome(java.util.function.Supplier<Object> decode) {
        try {
            return describe(decode.get());
        } catch (RuntimeException e) { // MalformedMessageException, or what a bad kombu wrapper throws
            return "error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static String oracle(String json) {
        return outcome(() -> {
            try {
                return PythonJson.unwrapKombuTypes(ORACLE.readValue(json, Object.class));
            } catch (IOException e) {
                throw new MalformedMessageException("not valid JSON: " + e.getMessage().split("\n", 2)[0]);
            }
        });
    }

    private static String oracleBytes(byte[] utf8) {
        return outcome(() -> {
            try {
                return PythonJson.unwrapKombuTypes(ORACLE.readValue(utf8, Object.class));
            } catch (IOException e) {
                throw new MalformedMessageException("not valid JSON: " + e.getMessage().split("\n", 2)[0]);
            }
        });
    }

    private static String describe(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder(value.getClass().getSimpleName()).append('{');
            map.forEach((k, v) -> out.append(describe(k)).append('=').append(describe(v)).append(','));
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder(value.getClass().getSimpleName()).append('[');
            list.forEach(v -> out.append(describe(v)).append(','));
            return out.append(']').toString();
        }
        if (value instanceof byte[] bytes) {
            return "bytes" + java.util.Arrays.toString(bytes);
        }
        return value == null ? "null" : value.getClass().getSimpleName() + ":" + value;
    }

    private static final String[] KEYS = {"a", "b", "__type__", "__value__", "id", "é", "a"};
    private static final String[] TYPES = {"bytes", "decimal", "datetime", "uuid"};

    private static void writeRandom(Random r, StringBuilder out, int depth) {
        int kind = depth >= 5 ? r.nextInt(6) : r.nextInt(9);
        switch (kind) {
            case 0 -> out.append("null");
            case 1 -> out.append(r.nextBoolean());
            case 2 -> out.append(r.nextInt(4) == 0 ? "123456789012345678901234" : Long.toString(r.nextLong() >> r.nextInt(64)));
            case 3 -> out.append(r.nextInt(5) == 0 ? "NaN" : Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20)));
            case 4, 5 -> {
                String s = r.nextInt(3) == 0 ? "AAEC" : r.nextInt(2) == 0 ? "1.25" : "t\\\"x\\u00e9" + r.nextInt(100);
                out.append('"').append(s).append('"');
            }
            case 6 -> {
                out.append('[');
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    out.append(i == 0 ? "" : r.nextBoolean() ? ", " : ",");
                    writeRandom(r, out, depth + 1);
                }
                out.append(']');
            }
            default -> {
                out.append('{');
                if (r.nextInt(3) == 0) {
                    out.append("\"__type__\": \"").append(TYPES[r.nextInt(TYPES.length)]).append("\", \"__value__\": ");
                    writeRandom(r, out, depth + 1);
                } else {
                    int n = r.nextInt(depth == 0 ? 20 : 6);
                    for (int i = 0; i < n; i++) {
                        out.append(i == 0 ? "" : ", ").append('"').append(KEYS[r.nextInt(KEYS.length)])
                                .append(r.nextInt(3) == 0 ? "" : Integer.toString(i)).append("\": ");
                        writeRandom(r, out, depth + 1);
                    }
                }
                out.append('}');
            }
        }
    }

    private static String corrupt(Random r, String json) {
        if (json.isEmpty()) {
            return "x";
        }
        int at = r.nextInt(json.length());
        return switch (r.nextInt(3)) {
            case 0 -> json.substring(0, at);
            case 1 -> json.substring(0, at) + json.substring(at + 1);
            default -> json.substring(0, at) + "{}[],:\"x1 \\".charAt(r.nextInt(11)) + json.substring(at);
        };
    }
}
