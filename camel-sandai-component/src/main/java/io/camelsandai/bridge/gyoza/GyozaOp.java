package io.camelsandai.bridge.gyoza;

import java.util.Map;

/**
 * A claimed WorkerOpRun. Its shape is not documented; read leniently: {@code run_id} or {@code id}, {@code inputs},
 * {@code image}, {@code definition} or {@code name} (a string, or a map with {@code name}/{@code version}),
 * {@code version}, {@code priority}. Everything as received is kept in {@link #raw()}.
 */
public record GyozaOp(String runId, Map<String, Object> inputs, String image, String definition, String version,
        Map<String, Object> raw) {

    @SuppressWarnings("unchecked")
    static GyozaOp fromMap(Map<String, Object> m) {
        String runId = text(m.get("run_id"));
        if (runId == null) {
            runId = text(m.get("id"));
        }
        Object def = m.get("definition");
        String definition = null;
        String version = text(m.get("version"));
        if (def instanceof Map<?, ?> d) {
            definition = text(d.get("name"));
            if (version == null) {
                version = text(d.get("version"));
            }
        } else {
            definition = text(def);
        }
        if (definition == null) {
            definition = text(m.get("definition_name"));
        }
        if (definition == null) {
            definition = text(m.get("name"));
        }
        if (version == null) {
            version = text(m.get("definition_version"));
        }
        Object inputs = m.get("inputs");
        return new GyozaOp(runId, inputs instanceof Map ? (Map<String, Object>) inputs : null, text(m.get("image")),
                definition, version, m);
    }

    private static String text(Object o) {
        return o == null ? null : o instanceof String s ? (s.isBlank() ? null : s) : String.valueOf(o);
    }

    @Override
    public String toString() {
        return "GyozaOp[" + runId + " " + (definition != null ? definition + ":" + version : image) + "]";
    }
}
