package io.camelsandai.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an operator is asked to do: input artifacts, free-form options, and task controls. Its wire form is the
 * Celery kwargs {@code {"input_artifacts": [...], "options": {...}, "meta": {...}}}.
 */
public record OperatorRequest(List<Artifact> inputArtifacts, Map<String, Object> options, TaskMeta meta) {

    public OperatorRequest {
        inputArtifacts = inputArtifacts == null ? List.of() : List.copyOf(inputArtifacts);
        options = options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
        meta = meta == null ? TaskMeta.NONE : meta;
    }

    public static OperatorRequest of(List<Artifact> inputArtifacts, Map<String, Object> options) {
        return new OperatorRequest(inputArtifacts, options, TaskMeta.NONE);
    }

    public OperatorRequest withMeta(TaskMeta newMeta) {
        return new OperatorRequest(inputArtifacts, options, newMeta);
    }

    public OperatorRequest withInputArtifacts(List<Artifact> artifacts) {
        return new OperatorRequest(artifacts, options, meta);
    }

    /** The input artifact in a slot, or null. */
    public Artifact inputArtifact(String slot) {
        for (Artifact a : inputArtifacts) {
            if (slot.equals(a.slot())) {
                return a;
            }
        }
        return null;
    }

    /** Celery kwargs, with members in the order the Python client sends them. */
    public Map<String, Object> toKwargs() {
        Map<String, Object> kwargs = new LinkedHashMap<>();
        List<Object> artifacts = new ArrayList<>(inputArtifacts.size());
        inputArtifacts.forEach(a -> artifacts.add(a.toMap()));
        kwargs.put("input_artifacts", artifacts);
        kwargs.put("options", new LinkedHashMap<>(options));
        kwargs.put("meta", meta.toMap());
        return kwargs;
    }

    /**
     * Reads Celery kwargs. Missing members default to empty; members of the wrong type are refused.
     *
     * @throws IllegalArgumentException naming the member and the expected shape
     */
    public static OperatorRequest fromKwargs(Object kwargs) {
        if (kwargs == null) {
            return new OperatorRequest(null, null, null);
        }
        if (!(kwargs instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(EXPECTED_SHAPE + ", got " + WireTypes.describe(kwargs));
        }
        Object rawArtifacts = map.get("input_artifacts");
        List<Artifact> artifacts = new ArrayList<>();
        if (rawArtifacts != null) {
            if (!(rawArtifacts instanceof List<?> list)) {
                throw new IllegalArgumentException("\"input_artifacts\" must be a list of {\"uri\", \"slot\"} maps, got "
                                                   + WireTypes.describe(rawArtifacts));
            }
            for (Object item : list) {
                artifacts.add(Artifact.fromMap(item));
            }
        }
        Object rawOptions = map.get("options");
        if (rawOptions != null && !(rawOptions instanceof Map)) {
            throw new IllegalArgumentException("\"options\" must be a map, got " + WireTypes.describe(rawOptions));
        }
        return new OperatorRequest(artifacts, textKeys((Map<?, ?>) rawOptions), TaskMeta.fromMap(map.get("meta")));
    }

    /**
     * The map with its keys as text. A decoded body's keys are text already: then the map itself, which the
     * constructor copies anyway (one copy per task instead of two).
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> textKeys(Map<?, ?> map) {
        if (map == null) {
            return null;
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                Map<String, Object> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> copy.put(String.valueOf(k), v));
                return copy;
            }
        }
        return (Map<String, Object>) map;
    }

    public static final String EXPECTED_SHAPE
            = "an operator request must be a map {\"input_artifacts\": [{\"uri\": ..., \"slot\": ...}], \"options\": {...}}";
}
