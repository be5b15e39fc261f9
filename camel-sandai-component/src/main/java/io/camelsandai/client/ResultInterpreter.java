package io.camelsandai.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.InvalidResultFormatException;
import io.camelsandai.model.InvalidTaskStatusException;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskCancelledException;
import io.camelsandai.model.TaskDeadlineExceededException;
import io.camelsandai.model.TaskError;
import io.camelsandai.model.TaskExecutionException;
import io.camelsandai.model.TaskStatus;

/**
 * Turns a final Celery result meta into an {@link OperatorResult}, or into the typed exception the Python client
 * raises for it (see the error model of the operator protocol).
 */
public final class ResultInterpreter {
    private ResultInterpreter() {
    }

    /**
     * The structured result, whatever its status; Celery FAILURE and REVOKED become {@code failed} and
     * {@code cancelled} results. Used where one failure must not hide others (batches).
     *
     * @throws InvalidResultFormatException when a SUCCESS result is not the operator's map
     * @throws InvalidTaskStatusException   for an unknown status or state
     */
    public static OperatorResult toResult(ResultMeta meta) {
        String taskId = meta.taskId();
        switch (meta.status()) {
            case CeleryState.SUCCESS:
                return parseOperatorResult(taskId, meta.result());
            case CeleryState.FAILURE:
                return OperatorResult.failed(celeryFailure(meta));
            case CeleryState.REVOKED:
                return new OperatorResult(TaskStatus.CANCELLED, List.of(), Map.of(),
                        new TaskError("TaskRevokedError", "revoked", false));
            default:
                throw new InvalidTaskStatusException(taskId, meta.status());
        }
    }

    /**
     * The success result, or the typed exception for any other outcome.
     *
     * @throws TaskExecutionException        status failed or Celery FAILURE
     * @throws TaskCancelledException        status cancelled or Celery REVOKED
     * @throws TaskDeadlineExceededException status deadline_exceeded
     */
    public static OperatorResult successOrThrow(ResultMeta meta) {
        OperatorResult result = toResult(meta);
        throwIfNotSuccess(meta.taskId(), result);
        return result;
    }

    static void throwIfNotSuccess(String taskId, OperatorResult result) {
        String message = result.error() == null ? null : result.error().message();
        switch (result.status()) {
            case SUCCESS:
                return;
            case FAILED:
                throw new TaskExecutionException(taskId,
                        result.error() != null ? result.error() : new TaskError("Error", "failed", false));
            case CANCELLED:
                throw new TaskCancelledException(taskId, message);
            case DEADLINE_EXCEEDED:
                throw new TaskDeadlineExceededException(taskId, message);
            default:
                throw new InvalidTaskStatusException(taskId, String.valueOf(result.status()));
        }
    }

    /** The desc map: any map whose {@code status} is success. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> description(ResultMeta meta) {
        if (CeleryState.FAILURE.equals(meta.status())) {
            throw new TaskExecutionException(meta.taskId(), celeryFailure(meta));
        }
        if (!CeleryState.SUCCESS.equals(meta.status())) {
            throw new InvalidTaskStatusException(meta.taskId(), meta.status());
        }
        if (!(meta.result() instanceof Map<?, ?> map)) {
            throw new InvalidResultFormatException(meta.taskId(), "description is not a map");
        }
        Object status = map.get("status");
        if (status != null && !"success".equals(status)) {
            TaskStatus known = TaskStatus.fromWire(status);
            if (known == null) {
                throw new InvalidTaskStatusException(meta.taskId(), String.valueOf(status));
            }
            throwIfNotSuccess(meta.taskId(), new OperatorResult(known, null, null, TaskError.fromMap(map.get("error"))));
        }
        return new LinkedHashMap<>((Map<String, Object>) map);
    }

    @SuppressWarnings("unchecked")
    private static OperatorResult parseOperatorResult(String taskId, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidResultFormatException(taskId, "expected a map with status, artifacts, results, got "
                                                           + io.camelsandai.model.WireTypes.describe(value));
        }
        Object rawStatus = map.get("status");
        if (!(rawStatus instanceof String)) {
            throw new InvalidResultFormatException(taskId, "missing string \"status\"");
        }
        TaskStatus status = TaskStatus.fromWire(rawStatus);
        if (status == null) {
            throw new InvalidTaskStatusException(taskId, (String) rawStatus);
        }
        Object artifacts = map.get("artifacts");
        Object results = map.get("results");
        if (status == TaskStatus.SUCCESS) {
            if (!(artifacts instanceof List)) {
                throw new InvalidResultFormatException(taskId, "\"artifacts\" must be a list");
            }
            if (!(results instanceof Map)) {
                throw new InvalidResultFormatException(taskId, "\"results\" must be a map");
            }
        }
        List<Artifact> parsed = new ArrayList<>();
        if (artifacts instanceof List<?> list) {
            try {
                list.forEach(a -> parsed.add(Artifact.fromMap(a)));
            } catch (IllegalArgumentException e) {
                throw new InvalidResultFormatException(taskId, e.getMessage());
            }
        }
        return new OperatorResult(status, parsed, results instanceof Map ? (Map<String, Object>) results : Map.of(),
                status == TaskStatus.SUCCESS ? null : TaskError.fromMap(map.get("error")));
    }

    /** {@code {"exc_type", "exc_message", "exc_module"}} plus traceback, as a TaskError. */
    static TaskError celeryFailure(ResultMeta meta) {
        String type = "Error";
        String message = "";
        if (meta.result() instanceof Map<?, ?> exc) {
            if (exc.get("exc_type") instanceof String t) {
                type = t;
            }
            Object m = exc.get("exc_message");
            if (m instanceof List<?> parts) {
                message = parts.size() == 1 ? String.valueOf(parts.get(0)) : String.valueOf(parts);
            } else if (m != null) {
                message = String.valueOf(m);
            }
        } else if (meta.result() != null) {
            message = String.valueOf(meta.result());
        }
        return new TaskError(type, message, false, meta.traceback());
    }
}
