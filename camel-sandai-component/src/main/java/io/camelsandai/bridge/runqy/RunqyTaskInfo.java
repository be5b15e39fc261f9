package io.camelsandai.bridge.runqy;

import java.util.Map;

import io.camelsandai.codec.MalformedMessageException;
import io.camelsandai.codec.PythonJson;

/**
 * A runqy task as the server reports it, read the way runqy-python's {@code TaskInfo} reads it: {@code Info} first,
 * then {@code info}; each member under its Go name or its JSON tag; {@code result} and {@code payload} JSON-parsed
 * when they are JSON strings.
 *
 * @param state   empty when the server did not say; else {@code pending}, {@code active}, {@code scheduled}, {@code retry}, {@code archived},
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

    /**
     * The {@code info} of a {@code POST /queue/add} answer, with runqy-python's {@code enqueue} defaults: id
     * {@code ""}, the queue asked for, state {@code pending}; the payload is the data sent (the answer's
     * {@code info.payload} is base64 there).
     */
    static RunqyTaskInfo fromEnqueueResponse(Object body, String queueAsked, Object dataSent) {
        RunqyTaskInfo i = fromResponse(body, "", queueAsked, "pending");
        return new RunqyTaskInfo(i.taskId, i.queue, i.state, i.result, i.error, dataSent, i.retried, i.maxRetry);
    }

    /** A {@code GET /queue/{id}} answer, with runqy-python's {@code get_task} defaults: the id asked for, {@code ""}. */
    static RunqyTaskInfo fromStatusResponse(Object body, String idAsked) {
        return fromResponse(body, idAsked, "", "");
    }

    private static RunqyTaskInfo fromResponse(Object body, String fallbackId, String fallbackQueue,
                                              String fallbackState) {
        Map<?, ?> root = body instanceof Map<?, ?> m ? m : Map.of();
        Object infoValue = root.get("Info") != null ? root.get("Info") : root.get("info");
        Map<?, ?> info = infoValue instanceof Map<?, ?> m ? m : Map.of();
        return new RunqyTaskInfo(
                str(first(info, "ID", "id"), fallbackId),
                str(first(info, "Queue", "queue"), fallbackQueue),
                str(first(info, "State", "state"), fallbackState),
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
