package io.camelsandai.client;

import java.util.List;
import java.util.Map;

import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskStatus;

/**
 * The outcome of one task of a structured batch, in input order. Exactly one of {@code result} and {@code error} is
 * set: the operator's result (of any status), or what prevented one (send error, timeout, invalid result).
 */
public record BatchTaskResult(int index, String taskId, boolean submitted, OperatorResult result, Exception error) {

    public boolean succeeded() {
        return result != null && result.isSuccess();
    }

    /** The operator status, or null when there was no result. */
    public TaskStatus status() {
        return result == null ? null : result.status();
    }

    public List<Artifact> artifacts() {
        return result == null ? List.of() : result.artifacts();
    }

    public Map<String, Object> results() {
        return result == null ? Map.of() : result.results();
    }
}
