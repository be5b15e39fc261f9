package io.camelsandai.model;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperatorRequestTest {
    @Test
    void kwargsRoundTripKeepsUnknownMembers() {
        Map<String, Object> kwargs = Map.of(
                "input_artifacts", List.of(Map.of("uri", "s3://b/in.mp4", "slot", "video", "etag", "x")),
                "options", Map.of("clip_duration", 10),
                "meta", Map.of("deadline", 1795422397.590156, "cancel_key", "job-42", "persistent-output", true,
                        "priority", "high", "trace", "t-1"));
        OperatorRequest request = OperatorRequest.fromKwargs(kwargs);
        assertEquals("s3://b/in.mp4", request.inputArtifact("video").uri());
        assertEquals(1795422397.590156, request.meta().deadline());
        assertTrue(request.meta().persistentOutput());
        assertEquals(kwargs, request.toKwargs());
    }

    @Test
    void wrongShapesAreRefusedWithTheExpectedShapeNamed() {
        IllegalArgumentException notMap = assertThrows(IllegalArgumentException.class,
                () -> OperatorRequest.fromKwargs("just text"));
        assertTrue(notMap.getMessage().contains("input_artifacts"), notMap.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> OperatorRequest.fromKwargs(Map.of("input_artifacts", "s3://b/k")));
        assertThrows(IllegalArgumentException.class,
                () -> OperatorRequest.fromKwargs(Map.of("input_artifacts", List.of(Map.of("slot", "v")))));
        assertThrows(IllegalArgumentException.class, () -> OperatorRequest.fromKwargs(Map.of("options", List.of())));
        assertThrows(IllegalArgumentException.class,
                () -> OperatorRequest.fromKwargs(Map.of("meta", Map.of("deadline", "tomorrow"))));
    }

    @Test
    void metaPastDeadline() {
        TaskMeta meta = new TaskMeta(100.0, null, false, null, null);
        assertTrue(meta.isPastDeadline(100.5));
        assertFalse(meta.isPastDeadline(99.0));
        assertFalse(TaskMeta.NONE.isPastDeadline(Double.MAX_VALUE));
    }

    @Test
    void prioritiesParseAndNameTheirQueues() {
        assertEquals(Priority.VERY_LOW, Priority.parse("very-low"));
        assertEquals("high.video-clipper.v1", Priority.parse("HIGH").queueFor("video-clipper", "v1"));
        InvalidPriorityException e = assertThrows(InvalidPriorityException.class, () -> Priority.parse("urgent"));
        assertTrue(e.getMessage().contains("urgent"));
        assertThrows(InvalidPriorityException.class, () -> Priority.parse(null));
    }

    @Test
    void presignedQueryStringsStayOutOfToString() {
        Artifact a = Artifact.of("https://h/k.mp4?X-Amz-Signature=abc123", "video");
        assertFalse(a.toString().contains("abc123"), a.toString());
    }
}
