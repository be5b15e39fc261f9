package io.camelsandai.model;

/** A priority that is not one of {@code high}, {@code normal}, {@code low}, {@code very_low}. */
public class InvalidPriorityException extends SandaiException {
    private static final long serialVersionUID = 1L;

    public InvalidPriorityException(String value) {
        super("Invalid priority '" + value + "': expected one of high, normal, low, very_low");
    }
}
