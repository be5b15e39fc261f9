package io.camelsandai.codec;

import java.nio.charset.StandardCharsets;

/**
 * Finds the task id of a kombu envelope without parsing it: for messages too large to parse (a refused oversize
 * message still deserves a result its caller can read, instead of a wait until its own timeout).
 *
 * <p>It looks for the {@code "correlation_id"} key of the envelope's properties, which Celery sets to the task id.
 * The body is base64 in the envelope and every quote inside a JSON string is escaped, so the key with its own quotes
 * can only stand as a key; the scan still gives up (null) when it stands more than once, when its value is not a plain
 * short string, or when the key is preceded by a backslash.
 *
 * <p>On Redis, {@code operator/take.lua} applies the same rules inside Redis to the oversize messages it dead-letters
 * there (their bodies never reach the JVM); keep the two alike.
 */
public final class EnvelopeScan {
    private static final byte[] KEY = "\"correlation_id\"".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_ID_LENGTH = 255;

    private EnvelopeScan() {
    }

    /** The task id, or null when it cannot be found with certainty. */
    public static String taskId(byte[] raw) {
        String found = null;
        for (int at = indexOf(raw, 0); at >= 0; at = indexOf(raw, at + KEY.length)) {
            if (at > 0 && raw[at - 1] == '\\') {
                return null;
            }
            String value = stringValueAfter(raw, at + KEY.length);
            if (value == null || found != null) {
                return null;
            }
            found = value;
        }
        return found;
    }

    /** {@code : "value"} with optional spaces, the value without escapes; else null. */
    private static String stringValueAfter(byte[] raw, int i) {
        i = skipSpaces(raw, i);
        if (i >= raw.length || raw[i] != ':') {
            return null;
        }
        i = skipSpaces(raw, i + 1);
        if (i >= raw.length || raw[i] != '"') {
            return null;
        }
        int start = i + 1;
        for (int j = start; j < raw.length && j - start <= MAX_ID_LENGTH; j++) {
            if (raw[j] == '"') {
                return j == start ? null : new String(raw, start, j - start, StandardCharsets.UTF_8);
            }
            if (raw[j] == '\\' || (raw[j] & 0xff) < 0x20) {
                return null;
            }
        }
        return null;
    }

    private static int skipSpaces(byte[] raw, int i) {
        while (i < raw.length && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r')) {
            i++;
        }
        return i;
    }

    private static int indexOf(byte[] raw, int from) {
        outer:
        for (int i = from; i <= raw.length - KEY.length; i++) {
            if (raw[i] != '"') {
                continue;
            }
            for (int k = 1; k < KEY.length; k++) {
                if (raw[i + k] != KEY[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
