package io.camelsandai.bridge.runqy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.camelsandai.codec.MalformedMessageException;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.model.OperatorRequest;

/**
 * A runqy task as read from its hash: the decoded {@code msg} (or the legacy {@code type}/{@code payload}/
 * {@code max_retry}/{@code retried} fields) plus runqy-worker's optional per-task fields.
 */
record RunqyTaskRecord(String id, AsynqTaskMessage msg, byte[] payload, int maxRetry, int retried,
        Instant pendingSince, Long pendingTimeoutSeconds, Long activeTimeoutSeconds, Long ttlCompletedSeconds,
        Long ttlArchivedSeconds) {

    /**
     * @param queue the full queue name, for the {@code msg} synthesised for a legacy task (as runqy-worker writes
     *              one when such a task fails, so that asynq tools can read it)
     * @throws MalformedTaskMessageException when {@code msg} does not decode or a legacy task has no payload
     */
    static RunqyTaskRecord read(String id, String queue, Map<String, byte[]> fields) {
        byte[] raw = fields.get("msg");
        AsynqTaskMessage msg = null;
        byte[] payload;
        int maxRetry;
        int retried = intField(fields, "retried", 0);
        if (raw != null) {
            msg = AsynqTaskMessage.decode(raw);
            payload = msg.payload();
            maxRetry = msg.retry();
            retried = Math.max(retried, msg.retried()); // runqy: the hash counter wins when larger
        } else if (fields.containsKey("payload")) {
            payload = legacyPayload(fields.get("payload"));
            maxRetry = intField(fields, "max_retry", 0);
            String type = text(fields, "type");
            msg = new AsynqTaskMessage(type == null ? queue : type, payload, id, queue, maxRetry, retried, null, 0, 0,
                    null, 0, 0, 0, null, null);
        } else {
            throw new MalformedTaskMessageException("task hash has neither msg nor payload");
        }
        return new RunqyTaskRecord(id, msg, payload, maxRetry, retried,
                PendingSinceUnit.read(text(fields, "pending_since")), longField(fields, "pending_timeout"),
                longField(fields, "active_timeout"), longField(fields, "ttl_completed"), longField(fields, "ttl_archived"));
    }

    /** {@code active_timeout} (0 = none), else the TaskMessage timeout and deadline, else the default. */
    Duration timeout(Duration defaultTimeout, Instant now) {
        Duration t;
        if (activeTimeoutSeconds != null) {
            t = activeTimeoutSeconds == 0 ? Duration.ofDays(365) : Duration.ofSeconds(activeTimeoutSeconds);
        } else if (msg != null && msg.timeout() > 0) {
            t = Duration.ofSeconds(msg.timeout());
        } else {
            t = defaultTimeout;
        }
        if (msg != null && msg.deadline() > 0) {
            Duration left = Duration.between(now, Instant.ofEpochSecond(msg.deadline()));
            if (left.compareTo(t) < 0) {
                t = left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left;
            }
        }
        return t;
    }

    /** True when {@code pending_timeout} is set and the task waited longer than that. */
    boolean pendingTooLong(Instant now) {
        return pendingTimeoutSeconds != null && pendingTimeoutSeconds > 0 && pendingSince != null
               && Duration.between(pendingSince, now).getSeconds() > pendingTimeoutSeconds;
    }

    Duration completedTtl(Duration dflt) {
        if (ttlCompletedSeconds != null) {
            return Duration.ofSeconds(ttlCompletedSeconds);
        }
        return msg != null && msg.retention() > 0 ? Duration.ofSeconds(msg.retention()) : dflt;
    }

    Duration archivedTtl(Duration dflt) {
        return ttlArchivedSeconds != null ? Duration.ofSeconds(ttlArchivedSeconds) : dflt;
    }

    /**
     * The Sandai request: a payload shaped like operator kwargs ({@code input_artifacts}/{@code options}/
     * {@code meta}) is read as such; any other JSON object becomes the {@code options}; other JSON values become
     * {@code options.payload}.
     *
     * @throws IllegalArgumentException when the payload is not JSON or has a malformed operator member
     */
    OperatorRequest toRequest() {
        if (payload.length == 0) {
            return OperatorRequest.of(List.of(), Map.of());
        }
        Object data;
        try {
            data = PythonJson.decode(payload);
        } catch (MalformedMessageException e) {
            throw new IllegalArgumentException("payload is not JSON: " + e.getMessage());
        }
        if (data instanceof Map<?, ?> map) {
            if (map.containsKey("input_artifacts") || map.containsKey("options") || map.containsKey("meta")) {
                return OperatorRequest.fromKwargs(map);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> options = (Map<String, Object>) map;
            return OperatorRequest.of(List.of(), options);
        }
        return OperatorRequest.of(List.of(), data == null ? Map.of() : Map.of("payload", data));
    }

    /**
     * runqy-worker decodes a legacy {@code payload} field as Go decodes JSON into {@code []byte}: a JSON string
     * holding base64 is decoded; anything else is taken as the raw bytes.
     */
    static byte[] legacyPayload(byte[] raw) {
        int n = raw.length;
        if (n >= 2 && raw[0] == '"' && raw[n - 1] == '"') {
            try {
                if (PythonJson.decode(raw) instanceof String b64) {
                    return java.util.Base64.getDecoder().decode(b64);
                }
            } catch (MalformedMessageException | IllegalArgumentException e) {
                // not base64 in a JSON string: raw bytes, as runqy-worker falls back to
            }
        }
        return raw;
    }

    private static String text(Map<String, byte[]> fields, String name) {
        byte[] v = fields.get(name);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    private static Long longField(Map<String, byte[]> fields, String name) {
        String v = text(fields, name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int intField(Map<String, byte[]> fields, String name, int dflt) {
        Long v = longField(fields, name);
        return v == null ? dflt : v.intValue();
    }
}
