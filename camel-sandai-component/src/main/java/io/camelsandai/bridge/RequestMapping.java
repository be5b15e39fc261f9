package io.camelsandai.bridge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;

/**
 * Turns an orchestrator's free-form task parameters into an operator request, and an operator result into a plain
 * map. Two parameter shapes are read:
 * <ul>
 *   <li>the operator's own: {@code {"input_artifacts": [{"uri", "slot"}], "options": {...}}} (other members are
 *       ignored);</li>
 *   <li>flat: members named in the binding's input slots are artifacts (a URI string, a list of them, or
 *       {@code {"uri": ...}} maps), every other member is an option.</li>
 * </ul>
 */
public final class RequestMapping {
    private RequestMapping() {
    }

    /** @throws IllegalArgumentException when the parameters do not fit either shape */
    public static OperatorRequest toRequest(Map<String, ?> params, Set<String> inputSlots) {
        if (params == null) {
            return OperatorRequest.of(List.of(), Map.of());
        }
        if (params.containsKey("input_artifacts") || params.containsKey("options")) {
            Map<String, Object> kwargs = new LinkedHashMap<>();
            kwargs.put("input_artifacts", params.get("input_artifacts"));
            kwargs.put("options", params.get("options"));
            return OperatorRequest.fromKwargs(kwargs);
        }
        List<Artifact> artifacts = new ArrayList<>();
        Map<String, Object> options = new LinkedHashMap<>();
        params.forEach((name, value) -> {
            if (inputSlots.contains(name)) {
                addArtifacts(name, value, artifacts);
            } else {
                options.put(name, value);
            }
        });
        return OperatorRequest.of(artifacts, options);
    }

    private static void addArtifacts(String slot, Object value, List<Artifact> out) {
        if (value == null) {
            return;
        }
        if (value instanceof String uri) {
            if (uri.isBlank()) {
                throw new IllegalArgumentException("input \"" + slot + "\" is an empty URI");
            }
            out.add(Artifact.of(uri, slot));
        } else if (value instanceof List<?> list) {
            list.forEach(item -> addArtifacts(slot, item, out));
        } else if (value instanceof Map<?, ?> map) {
            Map<String, Object> withSlot = new LinkedHashMap<>();
            map.forEach((k, v) -> withSlot.put(String.valueOf(k), v));
            withSlot.putIfAbsent("slot", slot);
            out.add(Artifact.fromMap(withSlot));
        } else {
            throw new IllegalArgumentException("input \"" + slot + "\" must be a URI string, a list of URIs or a map"
                                               + " with \"uri\"");
        }
    }

    /** {@code {"artifacts": [...], "results": {...}}}: what a success gives back to the orchestrator. */
    public static Map<String, Object> toOutputs(OperatorResult result) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> artifacts = new ArrayList<>();
        result.artifacts().forEach(a -> artifacts.add(a.toMap()));
        out.put("artifacts", artifacts);
        out.put("results", new LinkedHashMap<>(result.results()));
        return out;
    }
}
