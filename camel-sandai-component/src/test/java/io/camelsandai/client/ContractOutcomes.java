package io.camelsandai.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.camelsandai.model.Artifact;
import io.camelsandai.model.InvalidResultFormatException;
import io.camelsandai.model.InvalidTaskStatusException;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.model.TaskDeadlineExceededException;
import io.camelsandai.model.TaskExecutionException;
import io.camelsandai.model.TaskMeta;
import io.camelsandai.model.TaskStatus;

/**
 * The outcomes of the operator contract as the stock Celery test operator ({@code python/sandai_test_worker.py}) gives
 * them, asserted alike whatever carries the task (Redis, RabbitMQ) and its result (Redis, {@code rpc://}).
 */
final class ContractOutcomes {
    private ContractOutcomes() {
    }

    static OperatorRequest request(Map<String, Object> options) {
        return OperatorRequest.of(List.of(Artifact.of("s3://in/video.mp4", "video")), options);
    }

    /** success (at high priority), failed, Celery FAILURE, invalid status / format, deadline_exceeded. */
    static void assertSuccessFailuresAndDeadline(OperatorClient client) {
        OperatorResult ok = client.call(request(Map.of("clip_duration", 10)), CallOptions.priority(Priority.HIGH));
        assertEquals(TaskStatus.SUCCESS, ok.status());
        assertEquals(Map.of("clip_duration", 10L), ok.results().get("echo"));
        assertEquals("float", ((Map<?, ?>) ok.results().get("types")).get("deadline"), "deadline must stay a float");
        assertEquals("high", ((Map<?, ?>) ok.results().get("meta")).get("priority"));
        Artifact clip = ok.artifactsInSlot("clip").get(0);
        assertEquals("s3://in/video.mp4.clip-0", clip.uri());
        assertEquals(17L, clip.size());

        TaskExecutionException failed = assertThrows(TaskExecutionException.class, () -> client.call(request(
                Map.of("fail", Map.of("type", "ArtifactNotFound", "message", "no such key", "retryable", true))),
                CallOptions.DEFAULTS));
        assertEquals("ArtifactNotFound", failed.errorType());
        assertEquals("no such key", failed.errorMessage());
        assertTrue(failed.isRetryable());

        TaskExecutionException raised = assertThrows(TaskExecutionException.class,
                () -> client.call(request(Map.of("raise", "boom")), CallOptions.DEFAULTS));
        assertEquals("ValueError", raised.errorType());
        assertEquals("boom", raised.errorMessage());
        assertTrue(raised.traceback().contains("Traceback"), raised.traceback());

        assertThrows(InvalidTaskStatusException.class,
                () -> client.call(request(Map.of("invalid_status", true)), CallOptions.DEFAULTS));
        assertThrows(InvalidResultFormatException.class,
                () -> client.call(request(Map.of("invalid_format", true)), CallOptions.DEFAULTS));

        OperatorRequest late = request(Map.of()).withMeta(new TaskMeta(Instant.now().getEpochSecond() - 60.0, null,
                false, null, null));
        assertThrows(TaskDeadlineExceededException.class,
                () -> client.call(late, CallOptions.DEFAULTS.withTimeout(null)));
    }
}
