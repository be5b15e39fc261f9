package io.camelsandai.bridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.Priority;
import io.camelsandai.model.TaskCancelledException;
import io.camelsandai.model.TaskDeadlineExceededException;
import io.camelsandai.model.TaskError;
import io.camelsandai.model.TaskExecutionException;
import io.camelsandai.model.TaskTimeoutException;
import io.camelsandai.util.Backoff;

/** Mapping, parsing and outbox rules that need no peer. */
class BridgeUnitTest {

    @Test
    void bindingsFromPropertiesAndYamlLikeMaps() {
        Map<String, Object> props = Map.of(
                "skills.transcribe.operator", "whisper", "skills.transcribe.version", "v2",
                "skills.transcribe.priority", "high", "skills.transcribe.timeout", "5m",
                "skills.transcribe.limit-group", "gpu", "skills.transcribe.input-slots", "audio, video",
                "skills.transcribe.cost", 0.25, "skills.other.operator", "x", "skills.other.version", "v1",
                "unrelated.key", "ignored");
        Map<String, OperatorBinding> b = OperatorBinding.fromProperties(props, "skills");
        assertEquals(Set.of("transcribe", "other"), b.keySet());
        OperatorBinding t = b.get("transcribe");
        assertEquals(new OperatorTarget("whisper", "v2", Priority.HIGH, Duration.ofMinutes(5)), t.target());
        assertEquals("gpu", t.limitGroup());
        assertEquals(Set.of("audio", "video"), t.inputSlots());
        assertEquals("0.25", t.attribute("cost"));
        assertEquals(Priority.NORMAL, b.get("other").target().priority());
        assertThrows(IllegalArgumentException.class,
                () -> OperatorBinding.fromProperties(Map.of("s.a.operator", "x"), "s"), "version missing");
    }

    @Test
    void paramsBecomeArtifactsAndOptions() {
        OperatorRequest flat = RequestMapping.toRequest(Map.of("video", "s3://b/v.mp4", "fps", 30), Set.of("video"));
        assertEquals(1, flat.inputArtifacts().size());
        assertEquals("video", flat.inputArtifacts().get(0).slot());
        assertEquals(Map.of("fps", 30), flat.options());
        OperatorRequest explicit = RequestMapping.toRequest(Map.of("input_artifacts",
                List.of(Map.of("uri", "s3://b/a", "slot", "a")), "options", Map.of("k", 1)), Set.of());
        assertEquals("s3://b/a", explicit.inputArtifacts().get(0).uri());
        assertEquals(Map.of("k", 1), explicit.options());
        assertThrows(IllegalArgumentException.class, () -> RequestMapping.toRequest(Map.of("video", 3), Set.of("video")));
        assertThrows(IllegalArgumentException.class, () -> RequestMapping.toRequest(Map.of("options", "x"), Set.of()));
    }

    @Test
    void typedClientExceptionsBecomeOutcomes() {
        ClientOperatorInvoker invoker = new ClientOperatorInvoker(t -> null, null);
        CallOutcome failed = invoker.toOutcome(new TaskExecutionException("t", new TaskError("Boom", "m", true)));
        assertEquals(CallOutcome.Kind.FAILED, failed.kind());
        assertTrue(failed.retryable());
        assertEquals(CallOutcome.Kind.INVALID_INPUT,
                invoker.toOutcome(new TaskExecutionException("t", new TaskError("InvalidInput", "m", false))).kind());
        assertEquals(CallOutcome.Kind.DEADLINE_EXCEEDED,
                invoker.toOutcome(new TaskDeadlineExceededException("t", null)).kind());
        assertEquals(CallOutcome.Kind.CANCELLED, invoker.toOutcome(new TaskCancelledException("t", null)).kind());
        CallOutcome timeout = invoker.toOutcome(new java.util.concurrent.CompletionException(
                new TaskTimeoutException("t", Duration.ofSeconds(1))));
        assertEquals(CallOutcome.Kind.TIMEOUT, timeout.kind());
        assertTrue(timeout.retryable());
        assertEquals(CallOutcome.Kind.ERROR, invoker.toOutcome(new IllegalStateException("redis down")).kind());
    }

    @Test
    void outboxKeepsOrderPerTaskRetriesAndDropsOnlyProgress() throws Exception {
        ReportOutbox outbox = new ReportOutbox(new Backoff(Duration.ofMillis(20), Duration.ofMillis(50)), 4, "t");
        List<String> posted = new CopyOnWriteArrayList<>();
        AtomicBoolean peerUp = new AtomicBoolean(false);
        AtomicInteger tries = new AtomicInteger();
        Report.Sender first = () -> {
            tries.incrementAndGet();
            if (!peerUp.get()) {
                throw new IOException("connection refused");
            }
            posted.add("STARTED");
            return Delivery.DELIVERED;
        };
        assertEquals(Delivery.QUEUED, outbox.submit(Report.durable("r1", "STARTED", first)).join());
        assertEquals(Delivery.REJECTED, outbox.submit(Report.bestEffort("r1", "PROGRESS", () -> {
            posted.add("PROGRESS");
            return Delivery.DELIVERED;
        })).join(), "progress behind a pending report is dropped");
        outbox.submit(Report.durable("r1", "COMPLETED", () -> {
            posted.add("COMPLETED");
            return Delivery.DELIVERED;
        }));
        outbox.submit(Report.durable("r2", "other", () -> {
            posted.add("other");
            return Delivery.DELIVERED;
        }));
        await().atMost(Duration.ofSeconds(5)).until(() -> posted.contains("other") && tries.get() >= 3);
        assertEquals(List.of("other"), posted, "r1's reports wait for its first one");
        peerUp.set(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> outbox.pending() == 0);
        assertEquals(List.of("other", "STARTED", "COMPLETED"), posted);
        assertTrue(outbox.flushAndClose(Duration.ofSeconds(1)).isEmpty());
    }

    @Test
    void outboxReturnsWhatItCouldNotPostAtClose() {
        ReportOutbox outbox = new ReportOutbox(new Backoff(Duration.ofMillis(20), Duration.ofMillis(50)), 1, "t");
        outbox.submit(Report.durable("r", "result", () -> {
            throw new IOException("down");
        }));
        List<Report> left = outbox.flushAndClose(Duration.ofMillis(300));
        assertEquals(1, left.size());
        assertEquals("r", left.get(0).taskId());
    }
}
