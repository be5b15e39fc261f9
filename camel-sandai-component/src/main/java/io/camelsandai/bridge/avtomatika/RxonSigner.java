package io.camelsandai.bridge.avtomatika;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The RXON "zero trust" signature (protocol section 5): drop the top-level {@code security} (and
 * {@code bubbling_chain} for events), drop null members at every level, write integral floats as integers, sort
 * keys, serialise compactly with raw UTF-8, then lowercase hex HMAC-SHA256 keyed with the worker's secret token.
 */
public final class RxonSigner {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** Sorted, compact, UTF-8 JSON of an already normalised value. */
    public static byte[] canonicalBytes(Object normalized) {
        try {
            return JSON.writeValueAsBytes(sortDeep(normalized));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Object sortDeep(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), sortDeep(v)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(sortDeep(v)));
            return out;
        }
        return value;
    }

    /** Nulls removed from objects (kept in arrays, as the server does), integral floats turned into integers. */
    static Map<String, Object> normalizeMap(Map<?, ?> map) {
        Map<String, Object> out = new TreeMap<>();
        map.forEach((k, v) -> {
            if (v != null) {
                out.put(String.valueOf(k), normalize(v));
            }
        });
        return out;
    }

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
                throw new IllegalArgumentException("NaN and infinite numbers cannot be signed");
            }
            if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                return (long) d;
            }
            return d;
        }
        if (value instanceof BigInteger big && big.bitLength() < 63) {
            return big.longValue();
        }
        return value;
    }
}
