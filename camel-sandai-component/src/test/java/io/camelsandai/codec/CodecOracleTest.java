package io.camelsandai.codec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.ScriptResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random nested values (quotes, escapes, non-ASCII and non-BMP text, floats of every magnitude, integer width edges)
 * encoded by our codec and by the real Python libraries Celery uses: kombu's JSON, msgpack-python, Celery's
 * saferepr with and without truncation. Any byte of difference is a bug on our side.
 */
class CodecOracleTest {
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    private static final int CASES = 2000;
    private static final String CHARS = "ab Z09 '\"\\/\n\t\u0001\u007f\u00e9\u4e2d\ud83d\ude00{}[]:,.";
    private static final int[] MAXLENS = {1024, 80, 25, 7, 1};

    @TempDir
    Path tmp;

    @Test
    void jsonMsgpackAndReprMatchStockPython() throws Exception {
        Random random = new Random(20261123);
        List<Object> values = new ArrayList<>();
        List<Integer> maxlens = new ArrayList<>();
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < CASES; i++) {
            Object value = randomValue(random, 0);
            int maxlen = MAXLENS[i % MAXLENS.length];
            values.add(value);
            maxlens.add(maxlen);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("value", value);
            line.put("maxlen", maxlen);
            input.append(PythonJson.encodeToString(line)).append('\n');
        }
        Path file = tmp.resolve("cases.jsonl");
        Files.writeString(file, input, StandardCharsets.US_ASCII);

        ScriptResult result = PYTHON.runScript("codec_oracle.py", List.of(file.toString()), Map.of(),
                Duration.ofSeconds(60)).assertSuccess();
        List<JsonNode> answers = result.jsonLines();
        assertEquals(CASES, answers.size());
        for (int i = 0; i < CASES; i++) {
            Object value = values.get(i);
            JsonNode expected = answers.get(i);
            String where = "case " + i + ": " + PythonJson.encodeToString(value);
            assertEquals(expected.get("json").asText(), PythonJson.encodeToString(value), "json of " + where);
            assertEquals(expected.get("msgpack").asText(), HexFormat.of().formatHex(Msgpack.encode(value)),
                    "msgpack of " + where);
            assertEquals(expected.get("repr").asText(), PythonRepr.saferepr(value, maxlens.get(i)),
                    "saferepr(maxlen=" + maxlens.get(i) + ") of " + where);
            assertEquals(value, Msgpack.decode(Msgpack.encode(value)), "msgpack round trip of " + where);
            assertEquals(value, PythonJson.decode(PythonJson.encode(value)), "json round trip of " + where);
        }
    }

    private static Object randomValue(Random r, int depth) {
        int kind = depth >= 4 ? r.nextInt(5) : r.nextInt(8);
        switch (kind) {
            case 0:
                return randomString(r);
            case 1:
                return randomInteger(r);
            case 2:
                return randomFloat(r);
            case 3:
                return r.nextBoolean();
            case 4:
                return r.nextInt(4) == 0 ? null : randomString(r);
            case 5:
            case 6: {
                Map<String, Object> map = new LinkedHashMap<>();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    map.put(randomString(r), randomValue(r, depth + 1));
                }
                return map;
            }
            default: {
                List<Object> list = new ArrayList<>();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    list.add(randomValue(r, depth + 1));
                }
                return list;
            }
        }
    }

    private static String randomString(Random r) {
        int n = r.nextInt(r.nextInt(10) == 0 ? 300 : 12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            char c = CHARS.charAt(r.nextInt(CHARS.length()));
            if (Character.isHighSurrogate(c)) {
                sb.append("\ud83d\ude00");
            } else if (!Character.isLowSurrogate(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Long randomInteger(Random r) {
        long[] edges = {0, 1, -1, 31, 32, -32, -33, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769,
                65535, 65536, 2147483647L, 2147483648L, -2147483648L, -2147483649L, 4294967295L, 4294967296L,
                Long.MAX_VALUE, Long.MIN_VALUE};
        return r.nextBoolean() ? edges[r.nextInt(edges.length)] : r.nextLong() >> r.nextInt(63);
    }

    private static Double randomFloat(Random r) {
        double[] edges = {0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3, 1e16, 1e15, 9999999999999998.0, 1e-4, 1e-5, 0.0001234,
                123456789.123456, 1795422397.590156, 5e-324, Double.MAX_VALUE, 1e22, 1e23};
        if (r.nextBoolean()) {
            return edges[r.nextInt(edges.length)];
        }
        return (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20);
    }
}
