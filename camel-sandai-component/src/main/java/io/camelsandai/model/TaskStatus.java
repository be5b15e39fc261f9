package io.camelsandai.model;

/** The {@code status} member of an operator's structured result. */
public enum TaskStatus {
    SUCCESS("success"),
    FAILED("failed"),
    CANCELLED("cancelled"),
    DEADLINE_EXCEEDED("deadline_exceeded");

    private final String wireName;

    TaskStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The status with this wire name, or null when it is not one of the four. */
    public static TaskStatus fromWire(Object value) {
        for (TaskStatus s : values()) {
            if (s.wireName.equals(value)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
