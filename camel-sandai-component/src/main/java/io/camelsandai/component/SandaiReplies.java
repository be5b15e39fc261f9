package io.camelsandai.component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelsandai.client.BatchTaskResult;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskError;
import io.camelsandai.model.TaskExecutionException;

/** The plain-map reply bodies of the producer, in the wire names the Python client uses. */
final class SandaiReplies {
    private SandaiReplies() {
    }

    /** {@code {"artifacts": [...], "results": {...}}}. */
    static Map<String, Object> replyBody(OperatorResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("artifacts", artifactMaps(result.artifacts()));
        body.put("results", new LinkedHashMap<>(result.results()));
        return body;
    }

    /** One {@code {index, task_id, status, artifacts, results, error}} per input, in input order. */
    static List<Map<String, Object>> batchBody(List<BatchTaskResult> results) {
        List<Map<String, Object>> body = new ArrayList<>(results.size());
        for (BatchTaskResult r : results) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", r.index());
            entry.put("task_id", r.taskId());
            entry.put("status", r.status() == null ? null : r.status().wireName());
            entry.put("artifacts", artifactMaps(r.artifacts()));
            entry.put("results", new LinkedHashMap<>(r.results()));
            entry.put("error", errorOf(r));
            body.add(entry);
        }
        return body;
    }

    private static Map<String, Object> errorOf(BatchTaskResult r) {
        if (r.result() != null) {
            return r.succeeded() || r.result().error() == null ? null : r.result().error().toMap();
        }
        if (r.error() instanceof TaskExecutionException te) {
            return te.error().toMap();
        }
        Exception e = r.error();
        return e == null ? null : new TaskError(e.getClass().getSimpleName(), String.valueOf(e.getMessage()), false).toMap();
    }

    static List<Map<String, Object>> artifactMaps(List<Artifact> artifacts) {
        List<Map<String, Object>> maps = new ArrayList<>(artifacts.size());
        artifacts.forEach(a -> {
            Map<String, Object> map = a.toMap();
            if (a.localPath() != null) {
                map.put("local_path", a.localPath().toString()); // downloadOutputs: where the file is now
            }
            maps.add(map);
        });
        return maps;
    }
}
