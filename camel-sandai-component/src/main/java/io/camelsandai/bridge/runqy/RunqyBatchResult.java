package io.camelsandai.bridge.runqy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code POST /queue/add-batch}: {@code {"enqueued", "failed", "task_ids" (in job order, enqueued
 * ones only), "errors" (one message per failed job; may be absent)}}. The spec marks this shape as not fully
 * verified, so every member is optional when read.
 */
public record RunqyBatchResult(int enqueued, int failed, List<String> taskIds, List<String> errors) {

    public RunqyBatchResult {
        taskIds = List.copyOf(taskIds);
        errors = List.copyOf(errors);
    }

    static RunqyBatchResult fromResponse(Object body) {
        Map<?, ?> root = body instanceof Map<?, ?> m ? m : Map.of();
        List<String> ids = strings(root.get("task_ids"));
        List<String> errors = strings(root.get("errors"));
        int enqueued = root.get("enqueued") instanceof Number n ? n.intValue() : ids.size();
        int failed = root.get("failed") instanceof Number n ? n.intValue() : errors.size();
        return new RunqyBatchResult(enqueued, failed, ids, errors);
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            list.forEach(e -> out.add(String.valueOf(e)));
        }
        return out;
    }
}
