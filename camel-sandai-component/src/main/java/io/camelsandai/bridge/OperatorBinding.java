package io.camelsandai.bridge;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import io.camelsandai.codec.Durations;
import io.camelsandai.model.Priority;
import io.camelsandai.util.CommaList;

/**
 * How one kind of external task (an Avtomatika skill, a gyoza op) runs on a Sandai operator.
 *
 * @param key        the skill or op name it serves
 * @param target     operator name, version, priority and timeout
 * @param limitGroup task type for per-type limits; null = global limit only
 * @param inputSlots parameter names whose values are artifact URIs (the rest become operator options)
 * @param attributes any further settings of the protocol (skill version, cost, image, ...)
 */
public record OperatorBinding(String key, OperatorTarget target, String limitGroup, Set<String> inputSlots,
        Map<String, String> attributes) {

    public OperatorBinding {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(target, "target");
        inputSlots = inputSlots == null ? Set.of() : Set.copyOf(inputSlots);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public static OperatorBinding of(String key, OperatorTarget target) {
        return new OperatorBinding(key, target, null, Set.of(), Map.of());
    }

    public String attribute(String name) {
        return attributes.get(name);
    }

    /**
     * Reads bindings from flat properties, as a properties file or a flattened YAML map gives them:
     * <pre>
     * {prefix}.{key}.operator     = whisper          (required)
     * {prefix}.{key}.version      = v1               (required)
     * {prefix}.{key}.priority     = high             (default normal)
     * {prefix}.{key}.timeout      = 300 | PT5M | 5m  (seconds when a bare number)
     * {prefix}.{key}.limit-group  = audio            (per-type limit group)
     * {prefix}.{key}.input-slots  = audio,video
     * {prefix}.{key}.anything-else = value           (kept in attributes)
     * </pre>
     * Values may be any objects (YAML); they are read with {@code String.valueOf}.
     *
     * @throws IllegalArgumentException naming the property that is missing or wrong
     */
    public static Map<String, OperatorBinding> fromProperties(Map<String, ?> properties, String prefix) {
        String start = prefix.endsWith(".") ? prefix : prefix + ".";
        Map<String, Map<String, String>> byKey = new TreeMap<>();
        properties.forEach((name, value) -> {
            if (name.startsWith(start) && value != null) {
                String rest = name.substring(start.length());
                int dot = rest.lastIndexOf('.');
                if (dot > 0) {
                    byKey.computeIfAbsent(rest.substring(0, dot), k -> new LinkedHashMap<>())
                            .put(rest.substring(dot + 1).toLowerCase(Locale.ROOT), String.valueOf(value).trim());
                }
            }
        });
        Map<String, OperatorBinding> out = new LinkedHashMap<>();
        byKey.forEach((key, values) -> out.put(key, fromValues(start + key, key, values)));
        return out;
    }

    private static OperatorBinding fromValues(String where, String key, Map<String, String> v) {
        String operator = required(where, "operator", v);
        String version = required(where, "version", v);
        Priority priority = v.containsKey("priority") ? Priority.parse(v.get("priority")) : Priority.NORMAL;
        Duration timeout = v.containsKey("timeout") ? Durations.parse(where + ".timeout", v.get("timeout")) : null;
        String group = firstNonBlank(v.get("limit-group"), v.get("limitgroup"), v.get("task-type"));
        Set<String> slots = new LinkedHashSet<>(
                CommaList.split(firstNonBlank(v.get("input-slots"), v.get("inputslots"))));
        Map<String, String> attributes = new LinkedHashMap<>(v);
        List.of("operator", "version", "priority", "timeout", "limit-group", "limitgroup", "task-type", "input-slots",
                "inputslots").forEach(attributes::remove);
        return new OperatorBinding(key, new OperatorTarget(operator, version, priority, timeout), group, slots,
                attributes);
    }

    private static String required(String where, String name, Map<String, String> v) {
        String value = v.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(where + "." + name + " is required");
        }
        return value;
    }

    private static String firstNonBlank(String... values) {
        for (String s : values) {
            if (s != null && !s.isBlank()) {
                return s.trim();
            }
        }
        return null;
    }
}
