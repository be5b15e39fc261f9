package io.camelsandai.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code meta} member of a task's kwargs: task controls the operator runtime honours.
 *
 * @param deadline         absolute deadline, float seconds since the Unix epoch (UTC); null = none
 * @param cancelKey        name of the cancel key; null = not cancellable
 * @param persistentOutput whether outputs go below the persistent prefix
 * @param priority         informational copy of the priority the task was sent with; may be null
 * @param extra            members this class does not know, kept as sent
 */
public record TaskMeta(Double deadline, String cancelKey, boolean persistentOutput, String priority,
        Map<String, Object> extra) {

    public static final TaskMeta NONE = new TaskMeta(null, null, false, null, Map.of());

    private static final Set<String> KNOWN = Set.of("deadline", "cancel_key", "persistent-output", "priority");

    public TaskMeta {
        extra = extra == null || extra.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** True when a deadline is set and {@code nowEpochSeconds} is past it. */
    public boolean isPastDeadline(double nowEpochSeconds) {
        return deadline != null && nowEpochSeconds > deadline;
    }

    /** Wire form, in the order the Python client writes it; absent members are left out. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (deadline != null) {
            m.put("deadline", deadline);
        }
        if (cancelKey != null) {
            m.put("cancel_key", cancelKey);
        }
        if (persistentOutput) {
            m.put("persistent-output", true);
        }
        if (priority != null) {
            m.put("priority", priority);
        }
        extra.forEach(m::putIfAbsent);
        return m;
    }

    /**
     * Reads the wire form; null reads as {@link #NONE}.
     *
     * @throws IllegalArgumentException when a known member has the wrong type
     */
    public static TaskMeta fromMap(Object value) {
        if (value == null) {
            return NONE;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("\"meta\" must be a map, got " + WireTypes.describe(value));
        }
        Object deadline = map.get("deadline");
        if (deadline != null && !(deadline instanceof Number)) {
            throw new IllegalArgumentException("meta \"deadline\" must be a number (epoch seconds), got "
                                               + WireTypes.describe(deadline));
        }
        Object cancelKey = map.get("cancel_key");
        if (cancelKey != null && !(cancelKey instanceof String)) {
            throw new IllegalArgumentException("meta \"cancel_key\" must be a string, got " + WireTypes.describe(cancelKey));
        }
        Object persistent = map.get("persistent-output");
        if (persistent != null && !(persistent instanceof Boolean)) {
            throw new IllegalArgumentException("meta \"persistent-output\" must be a boolean, got "
                                               + WireTypes.describe(persistent));
        }
        Object priority = map.get("priority");
        Map<String, Object> extra = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!KNOWN.contains(String.valueOf(k))) {
                extra.put(String.valueOf(k), v);
            }
        });
        return new TaskMeta(deadline == null ? null : ((Number) deadline).doubleValue(), (String) cancelKey,
                Boolean.TRUE.equals(persistent), priority == null ? null : String.valueOf(priority), extra);
    }
}
