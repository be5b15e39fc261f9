package io.camelsandai.client;

import java.util.List;
import java.util.Map;

import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.InvalidResultFormatException;
import io.camelsandai.model.InvalidTaskStatusException;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskCancelledException;
import io.camelsandai.model.TaskDeadlineExceededException;
import io.camelsandai.model.TaskExecutionException;
import io.camelsandai.model.TaskStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultInterpreterTest {
    private static ResultMeta meta(String state, Object result) {
        return new ResultMeta(state, result, state.equals("FAILURE") ? "Traceback ..." : null, null, null, "t-1", null);
    }

    @Test
    void successResultIsParsed() {
        OperatorResult r = ResultInterpreter.successOrThrow(meta("SUCCESS", Map.of("status", "success",
                "artifacts", List.of(Map.of("uri", "s3://o/c.mp4", "slot", "clip", "size", 3)), "results", Map.of("n", 1))));
        assertEquals(3L, r.artifacts().get(0).size());
        assertEquals(Map.of("n", 1), r.results());
    }

    @Test
    void eachStatusMapsToItsTypedException() {
        TaskExecutionException failed = assertThrows(TaskExecutionException.class, () -> ResultInterpreter.successOrThrow(
                meta("SUCCESS", Map.of("status", "failed", "artifacts", List.of(), "results", Map.of(),
                        "error", Map.of("type", "ArtifactNotFound", "message", "no such key", "retryable", false)))));
        assertEquals("ArtifactNotFound", failed.errorType());
        assertThrows(TaskCancelledException.class, () -> ResultInterpreter.successOrThrow(
                meta("SUCCESS", Map.of("status", "cancelled", "artifacts", List.of(), "results", Map.of()))));
        assertThrows(TaskDeadlineExceededException.class, () -> ResultInterpreter.successOrThrow(
                meta("SUCCESS", Map.of("status", "deadline_exceeded", "artifacts", List.of(), "results", Map.of()))));
        assertThrows(TaskCancelledException.class, () -> ResultInterpreter.successOrThrow(meta("REVOKED", null)));
        assertThrows(InvalidTaskStatusException.class, () -> ResultInterpreter.successOrThrow(
                meta("SUCCESS", Map.of("status", "weird", "artifacts", List.of(), "results", Map.of()))));
        assertThrows(InvalidTaskStatusException.class, () -> ResultInterpreter.successOrThrow(meta("RETRY", null)));
    }

    @Test
    void celeryFailureKeepsTypeMessageAndTraceback() {
        TaskExecutionException e = assertThrows(TaskExecutionException.class, () -> ResultInterpreter.successOrThrow(
                meta("FAILURE", Map.of("exc_type", "ValueError", "exc_message", List.of("boom"), "exc_module", "builtins"))));
        assertEquals("ValueError", e.errorType());
        assertEquals("boom", e.errorMessage());
        assertTrue(e.traceback().startsWith("Traceback"));
    }

    @Test
    void malformedResultsAreInvalidResultFormat() {
        assertThrows(InvalidResultFormatException.class, () -> ResultInterpreter.successOrThrow(meta("SUCCESS", "text")));
        assertThrows(InvalidResultFormatException.class, () -> ResultInterpreter.successOrThrow(
                meta("SUCCESS", Map.of("status", "success", "artifacts", "x", "results", Map.of()))));
        assertThrows(InvalidResultFormatException.class, () -> ResultInterpreter.successOrThrow(
                meta("SUCCESS", Map.of("status", "success", "artifacts", List.of()))));
        assertEquals(TaskStatus.FAILED, ResultInterpreter.toResult(meta("FAILURE", Map.of("exc_type", "X"))).status());
    }
}
