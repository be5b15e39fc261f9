package io.camelsandai.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code error} member of a non-success result: {@code {"type", "message", "retryable"}}.
 *
 * @param type      short error type, e.g. {@code ArtifactNotFound} or a Java/Python exception class name
 * @param message   human-readable message
 * @param retryable whether sending the same task again may succeed
 * @param traceback stack trace text when the source had one (Celery FAILURE); null otherwise, never on the wire
 */
public record TaskError(String type, String message, boolean retryable, String traceback) {

    public TaskError(String type, String message, boolean retryable) {
        this(type, message, retryable, null);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("message", message);
        m.put("retryable", retryable);
        return m;
    }

    /** Lenient read: an operator that wrote a partial error still yields a usable one. */
    public static TaskError fromMap(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return value == null ? null : new TaskError("Error", String.valueOf(value), false);
        }
        Object type = map.get("type");
        Object message = map.get("message");
        return new TaskError(type == null ? "Error" : String.valueOf(type), message == null ? "" : String.valueOf(message),
                Boolean.TRUE.equals(map.get("retryable")));
    }
}
