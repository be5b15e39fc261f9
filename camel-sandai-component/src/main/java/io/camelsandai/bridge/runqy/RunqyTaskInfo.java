package io.camelsandai.bridge.runqy;

import java.util.Map;

import io.camelsandai.codec.MalformedMessageException;
import io.camelsandai.codec.PythonJson;

/**
 * A runqy task as the server reports it, read the way runqy-python's {@code TaskInfo} reads it: {@code Info} first,
 * then {@code info}; each member under its Go name or its JSON tag; {@code result} and {@code payload} JSON-parsed
 * when they are JSON strings.
 *
 * @param state   {@code pending}, {@code active}, {@code scheduled}, {@code retry}, {@code archived},
 *                {@code completed} or {@code aggregating}
 * @param result  the parsed result, or null
 * @param error   {@code LastErr}, empty when none
 */
public record RunqyTaskInfo(String taskId, String queue, String state, Object result, String error, Object payload,
        int retried, int maxRetry) {

    public boolean isCompleted() {
        return "completed".equals(state);
    }

    public boolean isArchived() {
        return "archived".equals(state);
    }

    /** completed or archived: nothing will change any more. */
    public boolean isFinal() {
        return isCompleted() || isArchived();
    }

    static RunqyTaskInfo fromResponse(Object body, String fallbackQueue) {
        Map<?, ?> root = body instanceof Map<?, ?> m ? m : Map.of();
        Object infoValue = root.get("Info") != null ? root.get("Info") : root.get("info");
        Map<?, ?> info = infoValue instanceof Map<?, ?> m ? m : Map.of();
        return new RunqyTaskInfo(
                str(first(info, "ID", "id"), ""),
                str(first(info, "Queue", "queue"), fallbackQueue),
                str(first(info, "State", "state"), "pending"),
                parsed(first(info, "Result", "result")),
                str(first(info, "LastErr", "last_err"), ""),
                parsed(first(info, "Payload", "payload")),
                num(first(info, "Retried", "retried")),
                num(first(info, "MaxRetry", "max_retry")));
    }

    private static Object first(Map<?, ?> m, String a, String b) {
        return m.get(a) != null ? m.get(a) : m.get(b);
    }

    private static String str(Object v, String dflt) {
        return v == null ? dflt : String.valueOf(v);
    }

    private static int num(Object v) {
        return v instanceof Number n ? n.intValue() : 0;
    }

    private static Object parsed(Object v) {
        if (v instanceof String s && !s.isEmpty()) {
            try {
                return PythonJson.decode(s);
            } catch (MalformedMessageException e) {
                return s;
            }
        }
        return v;
    }
}
