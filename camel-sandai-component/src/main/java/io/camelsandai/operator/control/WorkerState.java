package io.camelsandai.operator.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What remote control reports about a worker and what it changes: the tasks running now, how many of each task
 * name were started, and the revoked task ids. The runtime tells it when a task starts and ends, and asks it
 * whether a task id is revoked before running it; it costs a map update per task when nobody inspects.
 */
public final class WorkerState {
    private final Map<String, ActiveTask> active = new ConcurrentHashMap<>();
    private final Map<String, Long> totals = new ConcurrentHashMap<>();
    private final RevokedIds revoked;

    public WorkerState() {
        this(RevokedIds.DEFAULT_MAX, RevokedIds.DEFAULT_EXPIRES_SECONDS);
    }

    WorkerState(int maxRevoked, double revokedExpireSeconds) {
        this.revoked = new RevokedIds(maxRevoked, revokedExpireSeconds);
    }

    /** True when a {@code revoke} named this task id (within the last 3 hours, among the last 50 000). */
    public boolean isRevoked(String taskId) {
        return taskId != null && revoked.contains(taskId);
    }

    /** The handler is about to run this task. */
    public void started(ActiveTask task) {
        active.put(task.id(), task.startedAt(System.currentTimeMillis() / 1000.0));
        totals.merge(String.valueOf(task.name()), 1L, Long::sum);
    }

    /** The task's handler finished (whatever the outcome). */
    public void finished(ActiveTask task) {
        active.remove(task.id());
    }

    public int activeCount() {
        return active.size();
    }

    List<ActiveTask> active() {
        return new ArrayList<>(active.values());
    }

    boolean isActive(String taskId) {
        return active.containsKey(taskId);
    }

    ActiveTask activeTask(String taskId) {
        return active.get(taskId);
    }

    /** Tasks started per task name, sorted by name. */
    Map<String, Object> totals() {
        return new TreeMap<>(totals);
    }

    long processed() {
        return totals.values().stream().mapToLong(Long::longValue).sum();
    }

    RevokedIds revoked() {
        return revoked;
    }
}
