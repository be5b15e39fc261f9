package io.camelsandai.operator.control;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What remote control reports about a worker and what it changes: the tasks running now, those taken and waiting
 * to start ({@code reserved}) or held for their eta ({@code scheduled}), how many of each task name were started,
 * and the revoked task ids. The runtime tells it when a task is taken, held, started, ended or given back, and asks
 * it whether a task id is revoked before running it; it costs a few map updates per task when nobody inspects.
 *
 * <p>Reserved and scheduled entries are keyed by delivery tag (one per message taken, even when task ids repeat),
 * so there are never more of them than messages in flight.
 */
public final class WorkerState {
    private final Map<String, ActiveTask> active = new ConcurrentHashMap<>();
    /** Described only when somebody inspects: most reserved tasks start before anyone asks. */
    private final Map<String, Supplier<ActiveTask>> reserved = new ConcurrentHashMap<>();
    private final Map<String, ScheduledTask> scheduled = new ConcurrentHashMap<>();
    private final Map<String, Long> totals = new ConcurrentHashMap<>();
    private final RevokedIds revoked;
    private final RecentFailures recentFailures = new RecentFailures(RecentFailures.DEFAULT_SIZE);

    public WorkerState() {
        this(RevokedIds.DEFAULT_MAX, RevokedIds.DEFAULT_EXPIRES_SECONDS);
    }

    WorkerState(int maxRevoked, double revokedExpireSeconds) {
        this.revoked = new RevokedIds(maxRevoked, revokedExpireSeconds);
    }

    /** The last tasks that did not succeed, for the dev console. */
    public RecentFailures recentFailures() {
        return recentFailures;
    }

    /** True when a {@code revoke} named this task id (within the last 3 hours, among the last 50 000). */
    public boolean isRevoked(String taskId) {
        return taskId != null && revoked.contains(taskId);
    }

    /**
     * A task was taken (or its eta came) and waits for a task thread and a concurrency slot; {@code describe} reads
     * it when {@code inspect reserved} asks, and may answer null for a message that is no task.
     */
    public void reserved(String deliveryTag, Supplier<ActiveTask> describe) {
        scheduled.remove(deliveryTag);
        reserved.put(deliveryTag, describe);
    }

    /** A taken task is held until its eta. */
    public void scheduled(String deliveryTag, OffsetDateTime eta, ActiveTask task) {
        reserved.remove(deliveryTag);
        scheduled.put(deliveryTag, new ScheduledTask(eta, task));
    }

    /** The delivery left this worker: answered, refused, or given back to its queue. */
    public void forget(String deliveryTag) {
        reserved.remove(deliveryTag);
        scheduled.remove(deliveryTag);
    }

    /** The handler is about to run this task. */
    public void started(String deliveryTag, ActiveTask task) {
        reserved.remove(deliveryTag);
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

    /** Reserved tasks that are not running, described now (messages that are no task left out). */
    List<ActiveTask> reserved() {
        return reserved.values().stream().map(Supplier::get).filter(Objects::nonNull)
                .filter(t -> !active.containsKey(t.id())).toList();
    }

    /** Held tasks, soonest eta first. */
    List<ScheduledTask> scheduled() {
        return scheduled.values().stream()
                .sorted(Comparator.comparing(ScheduledTask::eta, OffsetDateTime.timeLineOrder())).toList();
    }

    /** Tasks taken and not started (nor held): at most the messages in flight. */
    public int reservedCount() {
        return reserved.size();
    }

    /** Tasks held for their eta. */
    public int scheduledCount() {
        return scheduled.size();
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
