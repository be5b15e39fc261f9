package io.camelsandai.model;

import java.util.Locale;

/**
 * The four Sandai priorities. Priority is carried by the queue name, not by the Celery message priority
 * (which stays 0), so that an operator can drain its queues in strict order.
 */
public enum Priority {
    HIGH("high"),
    NORMAL("normal"),
    LOW("low"),
    VERY_LOW("very_low");

    private final String wireName;

    Priority(String wireName) {
        this.wireName = wireName;
    }

    /** The name as it appears in queue names and in {@code meta.priority}. */
    public String wireName() {
        return wireName;
    }

    /** {@code <priority>.<operator>.<version>}: the Redis list key, routing key and Celery queue name. */
    public String queueFor(String operatorName, String operatorVersion) {
        return wireName + "." + operatorName + "." + operatorVersion;
    }

    /**
     * Parses a priority by its wire name (case-insensitive, {@code very-low} accepted for {@code very_low}).
     *
     * @throws InvalidPriorityException for anything else, including null
     */
    public static Priority parse(String value) {
        if (value != null) {
            String normalized = value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            for (Priority p : values()) {
                if (p.wireName.equals(normalized)) {
                    return p;
                }
            }
        }
        throw new InvalidPriorityException(value);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
