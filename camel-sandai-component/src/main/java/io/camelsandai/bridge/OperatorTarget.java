package io.camelsandai.bridge;

import java.time.Duration;
import java.util.Objects;

import io.camelsandai.model.Priority;

/**
 * Which Sandai operator runs a task, and how: the operator's name and version, the queue priority and how long a
 * call may take (null = no bridge-side limit; the source may still give a deadline).
 */
public record OperatorTarget(String name, String version, Priority priority, Duration timeout) {

    public OperatorTarget {
        Objects.requireNonNull(name, "operator name");
        Objects.requireNonNull(version, "operator version");
        if (name.isBlank() || version.isBlank()) {
            throw new IllegalArgumentException("operator name and version must not be blank");
        }
        priority = priority == null ? Priority.NORMAL : priority;
    }

    public static OperatorTarget of(String name, String version) {
        return new OperatorTarget(name, version, Priority.NORMAL, null);
    }

    /** {@code name:version}, the key under which one client per operator is kept. */
    public String operatorKey() {
        return name + ":" + version;
    }
}
