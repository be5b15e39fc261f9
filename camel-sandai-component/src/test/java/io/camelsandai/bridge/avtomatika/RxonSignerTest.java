package io.camelsandai.bridge.avtomatika;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The RXON signature against an independent implementation: Python's json module (sorted keys, compact separators,
 * raw UTF-8) and hmac, after the same null removal and integral-float rule the orchestrator applies.
 */
class RxonSignerTest {
    private static final String PYTHON_SIGNER = String.join("\n",
            "import sys, json, hmac, hashlib",
            "def clean(v):",
            "    if isinstance(v, dict):",
            "        return {k: clean(x) for k, x in v.items() if x is not None}",
            "    if isinstance(v, list):",
            "        return [clean(x) for x in v]",
            "    if isinstance(v, float) and v.is_integer():",
            "        return int(v)",
            "    return v",
            "body = json.loads(sys.stdin.buffer.read().decode('utf-8'))",
            "body.pop('security', None)",
            "if sys.argv[2] == 'event':",
            "    body.pop('bubbling_chain', None)",
            "msg = json.dumps(clean(body), sort_keys=True, separators=(',', ':'), ensure_ascii=False).encode('utf-8')",
            "print(hmac.new(sys.argv[1].encode('utf-8'), msg, hashlib.sha256).hexdigest())");

    @Test
    void signatureMatchesPythonCanonicalJson() throws Exception {
        Map<String, Object> body = sample();
        RxonSigner signer = new RxonSigner("s3cr\u00e9t-token", "w-1");
        Map<String, Object> signed = signer.sign(body, false);
        @SuppressWarnings("unchecked")
        Map<String, Object> security = (Map<String, Object>) signed.get("security");
        assertEquals("w-1", security.get("signer_id"));
        assertEquals(python("s3cr\u00e9t-token", body, false), security.get("signature"));
    }

    @Test
    void eventsLeaveTheBubblingChainOutOfTheSignature() throws Exception {
        Map<String, Object> body = sample();
        body.put("bubbling_chain", List.of("a", "b"));
        Map<String, Object> signed = new RxonSigner("k", "w-1").sign(body, true);
        @SuppressWarnings("unchecked")
        String signature = (String) ((Map<String, Object>) signed.get("security")).get("signature");
        assertEquals(python("k", body, true), signature);
        assertNotEquals(python("k", body, false), signature);
    }

    @Test
    void nullsAndIntegralFloatsAreNormalisedInTheSentBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("a", null);
        body.put("n", 3.0);
        body.put("x", 0.25);
        Map<String, Object> signed = new RxonSigner("k", "w").sign(body, false);
        assertFalse(signed.containsKey("a"));
        assertEquals(3L, signed.get("n"));
        assertEquals(0.25, signed.get("x"));
        assertThrows(IllegalArgumentException.class, () -> new RxonSigner("k", "w").sign(Map.of("bad", Double.NaN), false));
    }

    private static Map<String, Object> sample() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", 1);
        nested.put("a", null);
        nested.put("m\u00fcnchen", "caf\u00e9 \u2603 \"quoted\" back\\slash\ttab");
        nested.put("whole", 2.0);
        nested.put("half", 0.5);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("worker_id", "w-1");
        body.put("timestamp", 1767225600L);
        body.put("status", "idle");
        body.put("list", new ArrayList<>(Arrays.asList(1, "two", nested, List.of())));
        body.put("nested", nested);
        body.put("gone", null);
        body.put("big", 12345678901L);
        body.put("flag", true);
        return body;
    }

    private static String python(String secret, Map<String, Object> body, boolean event) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", PYTHON_SIGNER, secret, event ? "event" : "message")
                .redirectErrorStream(true).start();
        // Sent as Jackson writes it, key order untouched: Python sorts on its own.
        p.getOutputStream().write(RxonClient.JSON.writeValueAsBytes(body));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("python signer failed: " + out);
        }
        return out;
    }
}
