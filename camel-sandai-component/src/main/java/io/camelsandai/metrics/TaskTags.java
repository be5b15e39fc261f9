package io.camelsandai.metrics;

/**
 * The tags of a task meter. All values are bounded (operator names and versions are configured, priorities are four),
 * never a task id.
 *
 * @param role     {@code client} or {@code operator}
 * @param operator operator name
 * @param version  operator version
 * @param priority wire name of the priority ({@code high}, {@code normal}, ...)
 */
public record TaskTags(String role, String operator, String version, String priority) {
    public static final String CLIENT = "client";
    public static final String OPERATOR = "operator";

    public TaskTags {
        role = role == null ? "unknown" : role;
        operator = operator == null ? "unknown" : operator;
        version = version == null ? "unknown" : version;
        priority = priority == null ? "unknown" : priority;
    }
}
