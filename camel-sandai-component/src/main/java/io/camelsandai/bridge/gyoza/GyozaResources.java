package io.camelsandai.bridge.gyoza;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code resources} object of a heartbeat: {@code {"cpu_cores": int, "ram_mb": int, "gpus": [{"id": int,
 * "vram_mb": int, "tags": [str]}]}}. The server matches runs' constraints against it, so a bad value is refused at
 * configuration time rather than by the server at every heartbeat.
 */
final class GyozaResources {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GyozaResources() {
    }

    /** This JVM's view: its processors and its maximum heap, no GPU. */
    static Map<String, Object> defaults() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("cpu_cores", Runtime.getRuntime().availableProcessors());
        r.put("ram_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        r.put("gpus", List.of());
        return Collections.unmodifiableMap(r);
    }

    /** Parses a JSON object, e.g. {@code {"cpu_cores": 8, "ram_mb": 32768, "gpus": [{"id": 0, "vram_mb": 24576}]}}. */
    static Map<String, Object> fromJson(String json) {
        Object parsed;
        try {
            parsed = JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("gyoza resources must be a JSON object: " + e.getOriginalMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("gyoza resources must be a JSON object, got " + json);
        }
        return normalize(map);
    }

    /**
     * Checks the types and fills what is missing from {@link #defaults()} (gpu {@code tags} default to none). Further
     * members are kept as given.
     *
     * @throws IllegalArgumentException naming the member that is wrong
     */
    static Map<String, Object> normalize(Map<?, ?> given) {
        Map<String, Object> out = new LinkedHashMap<>(defaults());
        given.forEach((k, v) -> out.put(String.valueOf(k), v));
        out.put("cpu_cores", whole("resources.cpu_cores", out.get("cpu_cores")));
        out.put("ram_mb", whole("resources.ram_mb", out.get("ram_mb")));
        Object gpus = out.get("gpus");
        if (!(gpus instanceof List<?> list)) {
            throw new IllegalArgumentException("resources.gpus must be a list, got " + gpus);
        }
        List<Object> normalized = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            normalized.add(gpu("resources.gpus[" + i + "]", list.get(i)));
        }
        out.put("gpus", List.copyOf(normalized));
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, Object> gpu(String where, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + " must be an object with id and vram_mb, got " + value);
        }
        Map<String, Object> gpu = new LinkedHashMap<>();
        map.forEach((k, v) -> gpu.put(String.valueOf(k), v));
        gpu.put("id", whole(where + ".id", gpu.get("id")));
        gpu.put("vram_mb", whole(where + ".vram_mb", gpu.get("vram_mb")));
        Object tags = gpu.getOrDefault("tags", List.of());
        if (!(tags instanceof List<?> tagList) || tagList.stream().anyMatch(t -> !(t instanceof String))) {
            throw new IllegalArgumentException(where + ".tags must be a list of strings, got " + tags);
        }
        gpu.put("tags", List.copyOf(tagList));
        return Collections.unmodifiableMap(gpu);
    }

    private static long whole(String where, Object value) {
        long n;
        if (value instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
            n = num.longValue();
        } else if (value instanceof String s && s.trim().matches("\\d+")) {
            n = Long.parseLong(s.trim());
        } else {
            throw new IllegalArgumentException(where + " must be a whole number, got " + value);
        }
        if (n < 0) {
            throw new IllegalArgumentException(where + " must not be negative, got " + n);
        }
        return n;
    }
}
