package io.camelsandai.bridge;

import java.util.List;
import java.util.Map;

/**
 * The load of a worker at one moment, for heartbeats and capacity decisions.
 *
 * @param runningTaskIds ids of tasks taken and not yet finished (running, or waiting for a type slot)
 * @param inFlight       how many of the global slots are used
 * @param maxConcurrent  the global limit
 * @param groupInFlight  slots used per task type
 * @param groupLimits    limits per task type
 * @param draining       true once stop began
 */
public record WorkerSnapshot(List<String> runningTaskIds, int inFlight, int maxConcurrent,
        Map<String, Integer> groupInFlight, Map<String, Integer> groupLimits, boolean draining) {

    public WorkerSnapshot {
        runningTaskIds = List.copyOf(runningTaskIds);
        groupInFlight = Map.copyOf(groupInFlight);
        groupLimits = Map.copyOf(groupLimits);
    }

    /** True when at least one more task may be taken. */
    public boolean hasCapacity() {
        return !draining && inFlight < maxConcurrent;
    }

    /** True when a task of this type (null = no type) could start now. */
    public boolean hasCapacityFor(String group) {
        if (!hasCapacity()) {
            return false;
        }
        Integer limit = group == null ? null : groupLimits.get(group);
        return limit == null || groupInFlight.getOrDefault(group, 0) < limit;
    }
}
