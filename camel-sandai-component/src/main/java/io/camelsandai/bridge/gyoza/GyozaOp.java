package io.camelsandai.bridge.gyoza;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A claimed WorkerOpRun. The protocol names the type but not its fields, so it is read leniently: the run id from
 * {@code run_id}, {@code op_run_id}, a nested {@code run}/{@code op_run} object's {@code id}, or {@code id};
 * {@code inputs}; {@code image}; the definition from {@code definition} (a name, or an object with
 * {@code name}/{@code version}/{@code image}), {@code definition_name}, {@code op_definition} or {@code name};
 * {@code version} or {@code definition_version}. Each field is looked up on the op first, then in a nested
 * {@code run}/{@code op_run} object. Everything as received is kept in {@link #raw()} (it is what heartbeats list
 * as {@code running_ops}).
 *
 * @param inputs the {@code inputs} value as received (null when absent): a map for a well-formed op
 */
public record GyozaOp(String runId, Object inputs, String image, String definition, String version,
        Map<String, Object> raw) {

    private static final List<String> NESTED = List.of("run", "op_run");

    static GyozaOp fromMap(Map<String, Object> m) {
        List<Map<?, ?>> scopes = new ArrayList<>();
        scopes.add(m);
        for (String key : NESTED) {
            if (m.get(key) instanceof Map<?, ?> nested) {
                scopes.add(nested);
            }
        }
        String runId = firstText(List.of(m), "run_id", "op_run_id");
        if (runId == null) {
            runId = firstText(scopes.subList(1, scopes.size()), "id", "run_id");
        }
        if (runId == null) {
            runId = text(m.get("id"));
        }
        String definition = null;
        String version = firstText(scopes, "version", "definition_version");
        String image = firstText(scopes, "image");
        Object inputs = null;
        for (Map<?, ?> scope : scopes) {
            for (String key : List.of("definition", "op_definition")) {
                Object def = scope.get(key);
                if (def instanceof Map<?, ?> d) {
                    definition = definition != null ? definition : text(d.get("name"));
                    version = version != null ? version : text(d.get("version"));
                    image = image != null ? image : text(d.get("image"));
                } else if (definition == null) {
                    definition = text(def);
                }
            }
            if (inputs == null) {
                inputs = scope.get("inputs");
            }
        }
        if (definition == null) {
            definition = firstText(scopes, "definition_name", "name");
        }
        return new GyozaOp(runId, inputs, image, definition, version, m);
    }

    /** The inputs when they are an object; null otherwise. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> inputsMap() {
        return inputs instanceof Map ? (Map<String, Object>) inputs : null;
    }

    private static String firstText(List<Map<?, ?>> scopes, String... keys) {
        for (Map<?, ?> scope : scopes) {
            for (String key : keys) {
                String v = text(scope.get(key));
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }

    private static String text(Object o) {
        if (o == null || o instanceof Map || o instanceof List) {
            return null;
        }
        return o instanceof String s ? (s.isBlank() ? null : s) : String.valueOf(o);
    }

    @Override
    public String toString() {
        return "GyozaOp[" + runId + " " + (definition != null ? definition + ":" + version : image) + "]";
    }
}
