package io.camelsandai.codec;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The value of {@code celery-task-meta-<id>}: {@code {status, result, traceback, children, date_done, task_id}}
 * plus whatever {@code result_extended} adds (kept in {@link #extra()}).
 */
public record ResultMeta(String status, Object result, String traceback, List<Object> children, String dateDone,
        String taskId, Map<String, Object> extra) {
    /** Celery's own members of a meta; anything else is {@link #extra()}. */
    private static final Set<String> MEMBERS = Set.of("status", "result", "traceback", "children", "date_done",
            "task_id");

    public ResultMeta {
        children = children == null ? List.of() : children;
        extra = extra == null ? Map.of() : extra;
    }

    /** A final or progress meta for {@code taskId}, dated now for final states as the Celery worker does. */
    public static ResultMeta of(String taskId, String status, Object result, String traceback) {
        String dateDone = CeleryState.isFinal(status) ? nowCeleryDate() : null;
        return new ResultMeta(status, result, traceback, List.of(), dateDone, taskId, Map.of());
    }

    /** Naive ISO-8601 UTC with microseconds, as Celery 5.2 writes {@code date_done}. */
    public static String nowCeleryDate() {
        return celeryDate(Instant.now());
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss.SSSSSS} in UTC (years 0-9999), written by hand: every final state is dated, and a
     * {@code DateTimeFormatter} cost about 5 % of the worker's CPU per no-op task.
     */
    static String celeryDate(Instant t) {
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(t.getEpochSecond(), 86_400));
        int second = (int) Math.floorMod(t.getEpochSecond(), 86_400);
        char[] c = new char[26];
        digits(c, 0, date.getYear(), 4);
        c[4] = '-';
        digits(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, second / 3600, 2);
        c[13] = ':';
        digits(c, 14, second / 60 % 60, 2);
        c[16] = ':';
        digits(c, 17, second % 60, 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1000, 6);
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    public boolean isFinal() {
        return CeleryState.isFinal(status);
    }

    /** Members in Celery's order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("result", result);
        m.put("traceback", traceback);
        m.put("children", new ArrayList<>(children));
        m.put("date_done", dateDone);
        m.put("task_id", taskId);
        extra.forEach(m::putIfAbsent);
        return m;
    }

    public byte[] encode(ContentType serializer) {
        return serializer.encode(toMap());
    }

    /**
     * Reads a stored meta in either serializer: a JSON object starts with <code>{</code> (which, as msgpack, would
     * be the integer 123, never a meta), anything else is read as msgpack.
     *
     * @throws MalformedMessageException when neither reads as a meta map with a string {@code status}
     */
    public static ResultMeta decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedMessageException("empty result meta");
        }
        return fromDecoded(bytes[0] == '{' ? PythonJson.decode(bytes) : Msgpack.decode(bytes));
    }

    /**
     * Reads a meta whose serializer is known, e.g. from the {@code content_type} of an rpc:// result message.
     *
     * @throws MalformedMessageException when the body is not a meta map with a string {@code status}
     */
    public static ResultMeta decode(byte[] bytes, ContentType serializer) {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedMessageException("empty result meta");
        }
        return fromDecoded(serializer.decode(bytes));
    }

    @SuppressWarnings("unchecked")
    private static ResultMeta fromDecoded(Object decoded) {
        if (!(decoded instanceof Map<?, ?> map) || !(map.get("status") instanceof String status)) {
            throw new MalformedMessageException("result meta is not a map with a string \"status\"");
        }
        Object children = map.get("children");
        return new ResultMeta(status, map.get("result"),
                map.get("traceback") instanceof String t ? t : null,
                children instanceof List ? (List<Object>) children : List.of(),
                map.get("date_done") == null ? null : String.valueOf(map.get("date_done")),
                map.get("task_id") instanceof String id ? id : null, extra(map));
    }

    /** The members beyond Celery's six ({@code result_extended}), in their order; none for a plain meta. */
    private static Map<String, Object> extra(Map<?, ?> map) {
        if (map.size() <= MEMBERS.size() && MEMBERS.containsAll(map.keySet())) {
            return Map.of(); // every result of a plain Celery backend: no map to build
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!MEMBERS.contains(k)) {
                extra.put((String) k, v);
            }
        });
        return extra;
    }
}
