package io.camelsandai.model;

import java.util.List;
import java.util.Map;

/** Names wire values in error messages the way a Python user would think of them, without printing the value. */
public final class WireTypes {
    private WireTypes() {
    }

    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Double || value instanceof Float) {
            return "a float";
        }
        if (value instanceof Number) {
            return "an integer";
        }
        if (value instanceof byte[]) {
            return "bytes";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
