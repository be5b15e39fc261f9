package io.camelsandai.codec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Reads one JSON value into plain Java values straight from the parser's tokens, with exactly the outcome
 * {@code ObjectMapper.readValue(..., Object.class)} had with {@link PythonJson}'s settings: objects as
 * {@link LinkedHashMap} (a repeated key keeps its first place and its last value), arrays as {@link ArrayList},
 * integers as {@link Long} (one beyond the long range fails, as {@code USE_LONG_FOR_INTS} made it), floats as
 * {@link Double}, content after the first value ignored. Every task envelope is read here: the untyped deserializer
 * and the copy that unwrapped kombu's type wrappers were about a third of the worker's CPU per no-op task.
 *
 * <p>Containers are built at their final size (members gather on a stack first), so that no hash table is grown
 * while it fills, and a map that may be a kombu wrapper ({@code {"__type__": text, "__value__": ...}}) is only
 * noted: {@link #read} gives the tree to {@link PythonJson#unwrapKombuTypes} when there is one, and returns it as
 * built when there is none (nearly always), which is what the unwrapping copy would have returned.
 */
final class JsonValues {
    private Object[] stack = new Object[64];
    private int top;
    private boolean wrapperSeen;

    private JsonValues() {
    }

    /** The first value of {@code p} (which the caller closes); null for JSON {@code null}. */
    static Object read(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw MismatchedInputException.from(p, Object.class, "No content to map due to end-of-input");
        }
        JsonValues reader = new JsonValues();
        Object value = reader.value(p, first);
        return reader.wrapperSeen ? PythonJson.unwrapKombuTypes(value) : value;
    }

    private Object value(JsonParser p, JsonToken token) throws IOException {
        if (token == null) {
            throw MismatchedInputException.from(p, Object.class, "Unexpected end-of-input");
        }
        return switch (token) {
            case START_OBJECT -> object(p);
            case START_ARRAY -> array(p);
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw MismatchedInputException.from(p, Object.class, "Unexpected token (" + token + ")");
        };
    }

    private Map<String, Object> object(JsonParser p) throws IOException {
        int base = top;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            Object member = value(p, p.nextToken());
            push(name);
            push(member);
        }
        int pairs = (top - base) / 2;
        Map<String, Object> map = new LinkedHashMap<>((int) Math.ceil(pairs / 0.75)); // room for all: no resize
        for (int i = base; i < top; i += 2) {
            map.put((String) stack[i], stack[i + 1]);
        }
        pop(base);
        if (pairs == 2 && map.get("__type__") instanceof String && map.containsKey("__value__")) {
            wrapperSeen = true;
        }
        return map;
    }

    private List<Object> array(JsonParser p) throws IOException {
        int base = top;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            push(value(p, t));
        }
        List<Object> list = new ArrayList<>(top - base);
        for (int i = base; i < top; i++) {
            list.add(stack[i]);
        }
        pop(base);
        return list;
    }

    private void push(Object o) {
        if (top == stack.length) {
            stack = Arrays.copyOf(stack, top * 2);
        }
        stack[top++] = o;
    }

    private void pop(int base) {
        Arrays.fill(stack, base, top, null);
        top = base;
    }
}
