package io.camelsandai.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An operator's structured answer: {@code {"status", "artifacts", "results", "error"}}, carried as the Celery
 * {@code SUCCESS} result of the task.
 */
public record OperatorResult(TaskStatus status, List<Artifact> artifacts, Map<String, Object> results, TaskError error) {

    public OperatorResult {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        results = results == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    public static OperatorResult success(List<Artifact> artifacts, Map<String, Object> results) {
        return new OperatorResult(TaskStatus.SUCCESS, artifacts, results, null);
    }

    public static OperatorResult failed(TaskError error) {
        return new OperatorResult(TaskStatus.FAILED, List.of(), Map.of(), error);
    }

    public static OperatorResult cancelled(String message) {
        return new OperatorResult(TaskStatus.CANCELLED, List.of(), Map.of(), new TaskError("TaskCancelled", message, false));
    }

    public static OperatorResult deadlineExceeded(String message) {
        return new OperatorResult(TaskStatus.DEADLINE_EXCEEDED, List.of(), Map.of(),
                new TaskError("DeadlineExceeded", message, false));
    }

    public boolean isSuccess() {
        return status == TaskStatus.SUCCESS;
    }

    /** The output artifacts of one slot, in order. */
    public List<Artifact> artifactsInSlot(String slot) {
        List<Artifact> out = new ArrayList<>();
        for (Artifact a : artifacts) {
            if (slot.equals(a.slot())) {
                out.add(a);
            }
        }
        return out;
    }

    /** Wire form; {@code error} only when the status is not success. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status.wireName());
        List<Object> list = new ArrayList<>(artifacts.size());
        artifacts.forEach(a -> list.add(a.toMap()));
        m.put("artifacts", list);
        m.put("results", new LinkedHashMap<>(results));
        if (status != TaskStatus.SUCCESS && error != null) {
            m.put("error", error.toMap());
        }
        return m;
    }
}
