package io.camelsandai.metrics;

import org.slf4j.MDC;

/**
 * The task id in SLF4J's MDC under {@value #TASK_ID}, so log lines written while a task is sent or run carry it.
 * Use as {@code try (SandaiMdc.Scope ignored = SandaiMdc.taskId(id)) { ... }}; the previous value comes back on close.
 */
public final class SandaiMdc {
    public static final String TASK_ID = "sandaiTaskId";

    private SandaiMdc() {
    }

    public static Scope taskId(String taskId) {
        String previous = MDC.get(TASK_ID);
        if (taskId == null) {
            MDC.remove(TASK_ID);
        } else {
            MDC.put(TASK_ID, taskId);
        }
        return () -> {
            if (previous == null) {
                MDC.remove(TASK_ID);
            } else {
                MDC.put(TASK_ID, previous);
            }
        };
    }

    /** Restores the MDC; never throws. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
