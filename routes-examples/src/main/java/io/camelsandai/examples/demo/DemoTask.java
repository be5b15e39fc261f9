package io.camelsandai.examples.demo;

import java.time.Duration;
import java.util.List;

import io.camelsandai.model.Priority;

/**
 * One task the demo sends and the status it must end with.
 *
 * @param label         what the task is about, for the table
 * @param priority      the queue it goes to
 * @param clipSeconds   the operator option (0 is invalid on purpose for the "failed" case)
 * @param timeout       deadline and wait limit; null for the task that carries its own, already passed, deadline
 * @param cancelKey     a cancel key the demo sets before the operator starts, or null
 * @param expected      the status it must end with: success, failed, cancelled, deadline_exceeded or timeout
 */
public record DemoTask(String label, Priority priority, int clipSeconds, Duration timeout, String cancelKey,
        String expected) {

    /** Eight tasks at mixed priorities; four plain ones and one per way a task can end without running. */
    public static List<DemoTask> standardSet() {
        Duration minute = Duration.ofSeconds(60);
        return List.of(
                new DemoTask("1 s clips", Priority.LOW, 1, minute, null, "success"),
                new DemoTask("2 s clips", Priority.HIGH, 2, minute, null, "success"),
                new DemoTask("3 s clips", Priority.NORMAL, 3, minute, null, "success"),
                new DemoTask("4 s clips", Priority.VERY_LOW, 4, minute, null, "success"),
                new DemoTask("6 s clips", Priority.HIGH, 6, minute, null, "success"),
                new DemoTask("bad option", Priority.NORMAL, 0, minute, null, "failed"),
                new DemoTask("cancelled first", Priority.LOW, 2, minute, "demo-cancel-me", "cancelled"),
                new DemoTask("deadline passed", Priority.NORMAL, 2, null, null, "deadline_exceeded"));
    }
}
