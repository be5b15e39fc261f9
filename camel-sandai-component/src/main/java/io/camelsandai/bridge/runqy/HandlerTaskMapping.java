package io.camelsandai.bridge.runqy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskError;
import io.camelsandai.operator.OperatorTask;

/**
 * Sandai task to runqy request line, runqy answer to operator result.
 *
 * <p>Output artifact convention: a handler whose {@code result} is an object with a member
 * {@code "output_artifacts": [{"path": "clip.mp4", "slot": "clip", "content_type": "video/mp4"}]} produces one
 * output artifact per entry. {@code path} is relative to the task's {@code work_dir} (or absolute inside it); the
 * file must exist. The artifact gets {@code uri = file://...}, size, sha256 and its local path, so artifact staging
 * can upload it. That member is removed from {@code results}; everything else in {@code result} is the results.
 */
final class HandlerTaskMapping {
    static final String OUTPUT_ARTIFACTS = "output_artifacts";

    private HandlerTaskMapping() {
    }

    /** {@code {task_id, type, payload, retry_count, max_retry, queue}} exactly as runqy-worker writes it. */
    static Map<String, Object> requestLine(OperatorTask task, RunqyHandlerSettings settings, Path workDir) {
        Map<String, Object> line = new LinkedHashMap<>();
        String queue = task.queue() == null ? settings.name() : task.queue();
        line.put("task_id", task.taskId());
        line.put("type", settings.taskType() != null ? settings.taskType() : queue);
        line.put("payload", payload(task.request(), workDir));
        line.put("retry_count", task.retries());
        line.put("max_retry", settings.maxRetry());
        line.put("queue", queue);
        return line;
    }

    static Map<String, Object> payload(OperatorRequest request, Path workDir) {
        Map<String, Object> payload = new LinkedHashMap<>();
        List<Object> artifacts = new ArrayList<>();
        for (Artifact a : request.inputArtifacts()) {
            Map<String, Object> m = a.toMap();
            if (a.localPath() != null) {
                m.put("path", a.localPath().toAbsolutePath().toString());
            }
            artifacts.add(m);
        }
        payload.put("input_artifacts", artifacts);
        payload.put("options", new LinkedHashMap<>(request.options()));
        payload.put("meta", request.meta().toMap());
        if (workDir != null) {
            payload.put("work_dir", workDir.toAbsolutePath().toString());
        }
        return payload;
    }

    /** The answer line as runqy-worker reads it: non-empty {@code error} fails (retryable only with {@code retry:true}). */
    static OperatorResult toResult(Map<String, Object> answer, Path workDir) {
        Object error = answer.get("error");
        if (error != null && !String.valueOf(error).isEmpty()) {
            return OperatorResult.failed(new TaskError("HandlerError", String.valueOf(error),
                    Boolean.TRUE.equals(answer.get("retry"))));
        }
        Object result = answer.get("result");
        Map<String, Object> results = new LinkedHashMap<>();
        if (result instanceof Map<?, ?> map) {
            map.forEach((k, v) -> results.put(String.valueOf(k), v));
        } else if (result != null) {
            results.put("result", result);
        }
        Object outputs = results.remove(OUTPUT_ARTIFACTS);
        if (outputs == null) {
            return OperatorResult.success(List.of(), results);
        }
        try {
            return OperatorResult.success(outputArtifacts(outputs, workDir), results);
        } catch (IllegalArgumentException e) {
            return OperatorResult.failed(new TaskError("InvalidOutputArtifact", e.getMessage(), false));
        }
    }

    private static List<Artifact> outputArtifacts(Object outputs, Path workDir) {
        if (workDir == null) {
            throw new IllegalArgumentException("result names output_artifacts but no workRoot is configured");
        }
        if (!(outputs instanceof List<?> list)) {
            throw new IllegalArgumentException("output_artifacts must be a list of {\"path\", \"slot\"} objects");
        }
        Path root = workDir.toAbsolutePath().normalize();
        List<Artifact> artifacts = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> m) || !(m.get("path") instanceof String p)) {
                throw new IllegalArgumentException("each output_artifacts entry needs a string \"path\", got " + item);
            }
            Path file = root.resolve(p).normalize();
            if (!file.startsWith(root)) {
                throw new IllegalArgumentException("output artifact " + p + " is outside the task's work dir");
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("output artifact " + p + " does not exist in the task's work dir");
            }
            Artifact.Builder b = Artifact.builder().uri(file.toUri().toString())
                    .slot(m.get("slot") == null ? null : String.valueOf(m.get("slot")))
                    .localPath(file);
            try {
                b.size(Files.size(file)).sha256(sha256(file));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read output artifact " + p + ": " + e.getMessage());
            }
            if (m.get("content_type") instanceof String ct) {
                b.contentType(ct);
            }
            artifacts.add(b.build());
        }
        return artifacts;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
