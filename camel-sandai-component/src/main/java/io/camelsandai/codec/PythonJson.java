package io.camelsandai.codec;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON as kombu writes it. Writing is byte-compatible with Python's {@code json.dumps} defaults (separators
 * {@code ", "} and {@code ": "}, {@code ensure_ascii}, Python float repr), so our envelopes and bodies equal stock
 * Celery's. Reading is lenient: any valid JSON, integers as {@link Long} (beyond its range: refused), floats as
 * {@link Double}, and kombu's {@code {"__type__": ..., "__value__": ...}} wrappers unwrapped.
 */
public final class PythonJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static final JsonMapper READER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // Python writes NaN / Infinity by default
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    static {
        // Bound what a hostile message can make us build; 64 levels is far more than any Celery message uses.
        READER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private PythonJson() {
    }

    public static byte[] encode(Object value) {
        return encodeToString(value).getBytes(StandardCharsets.US_ASCII); // ensure_ascii: the text is pure ASCII
    }

    /** A builder per thread, reused: envelopes are 1-2 KB and growing a fresh builder each time dominated the cost. */
    private static final ThreadLocal<StringBuilder> BUILDER = ThreadLocal.withInitial(() -> new StringBuilder(4096));
    private static final int MAX_KEPT_CAPACITY = 1 << 20;

    public static String encodeToString(Object value) {
        StringBuilder out = BUILDER.get();
        out.setLength(0);
        try {
            write(out, value);
            return out.toString();
        } finally {
            if (out.capacity() > MAX_KEPT_CAPACITY) {
                BUILDER.remove(); // do not keep a huge buffer alive after an unusually large value
            }
        }
    }

    /** @throws MalformedMessageException when the bytes are not JSON */
    public static Object decode(byte[] bytes) {
        try (JsonParser p = READER.createParser(bytes)) {
            return JsonValues.read(p);
        } catch (IOException e) {
            throw new MalformedMessageException("not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    /** @throws MalformedMessageException when the text is not JSON */
    public static Object decode(String text) {
        try (JsonParser p = READER.createParser(text)) {
            return JsonValues.read(p);
        } catch (IOException e) {
            throw new MalformedMessageException("not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            out.append(PythonFloat.repr(((Number) value).doubleValue()));
        } else if (value instanceof BigDecimal d) {
            out.append(PythonFloat.repr(d.doubleValue()));
        } else if (value instanceof Number n) {
            out.append(n instanceof BigInteger ? n.toString() : Long.toString(n.longValue()));
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                writeString(out, String.valueOf(e.getKey()));
                out.append(": ");
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            writeArray(out, list);
        } else if (value instanceof Object[] array) {
            writeArray(out, List.of(array));
        } else if (value instanceof byte[] bytes) {
            // kombu's encoder turns bytes into text; base64 keeps arbitrary bytes valid JSON
            writeString(out, Base64.getEncoder().encodeToString(bytes));
        } else {
            writeString(out, value.toString());
        }
    }

    private static void writeArray(StringBuilder out, Collection<?> list) {
        out.append('[');
        boolean first = true;
        for (Object item : list) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            write(out, item);
        }
        out.append(']');
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        if (needsNoEscape(s)) {
            out.append(s).append('"'); // the common case (ids, base64 bodies, plain text) in one copy
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean needsNoEscape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** kombu 5.3+ wraps non-JSON types; the values are returned in their plain form (ISO text, bytes, decimal). */
    static Object unwrapKombuTypes(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 2 && map.get("__type__") instanceof String type && map.containsKey("__value__")) {
                Object inner = map.get("__value__");
                return switch (type) {
                    case "bytes" -> inner instanceof String s ? Base64.getDecoder().decode(s) : inner;
                    case "decimal" -> inner instanceof String s ? new BigDecimal(s) : inner;
                    default -> inner; // datetime, date, time, uuid: their text form
                };
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), unwrapKombuTypes(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(unwrapKombuTypes(v)));
            return out;
        }
        return value;
    }
}
