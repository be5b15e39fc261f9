package io.camelsandai.operator.control;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A delivery moves between reserved, scheduled and active, and leaves no entry behind. */
class WorkerStateTest {

    private static ActiveTask task(String id) {
        return new ActiveTask(id, "sandai.operator.process", List.of(), Map.of(), null, null, "q", 0, null, false,
                Double.NaN);
    }

    @Test
    void aDeliveryIsInOnePlaceAtATimeAndForgottenAtTheEnd() {
        WorkerState state = new WorkerState();
        state.reserved("tag-1", () -> task("t1"));
        assertEquals(List.of("t1"), state.reserved().stream().map(ActiveTask::id).toList());

        OffsetDateTime eta = OffsetDateTime.parse("2030-01-01T00:00:00+01:00");
        state.scheduled("tag-1", eta, task("t1"));
        assertEquals(0, state.reservedCount());
        assertEquals(1, state.scheduledCount());

        state.reserved("tag-1", () -> task("t1")); // its eta came
        assertEquals(0, state.scheduledCount());
        state.started("tag-1", task("t1"));
        assertEquals(0, state.reservedCount());
        assertEquals(1, state.activeCount());
        state.finished(task("t1"));
        state.forget("tag-1");
        assertEquals(0, state.reservedCount() + state.scheduledCount() + state.activeCount());
    }

    @Test
    void scheduledIsSoonestFirstAndUnreadableReservedMessagesAreLeftOut() {
        WorkerState state = new WorkerState();
        state.scheduled("late", OffsetDateTime.parse("2030-01-01T00:00:00Z"), task("late"));
        state.scheduled("soon", OffsetDateTime.parse("2030-01-01T00:30:00+01:00"), task("soon"));
        assertEquals(List.of("soon", "late"), state.scheduled().stream().map(s -> s.request().id()).toList());

        state.reserved("garbage", () -> null);
        assertTrue(state.reserved().isEmpty());
        assertEquals(1, state.reservedCount(), "still counted until it is refused");

        Map<String, Object> info = state.scheduled().get(0).info("node@host", 42);
        assertEquals("2030-01-01T00:30:00+01:00", info.get("eta"));
        assertEquals(6, info.get("priority"));
        @SuppressWarnings("unchecked")
        Map<String, Object> request = (Map<String, Object>) info.get("request");
        assertNull(request.get("time_start"));
        assertNull(request.get("worker_pid"));
        assertTrue(request.containsKey("worker_pid"));
    }
}
