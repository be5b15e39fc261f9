package io.camelsandai.tracing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The W3C propagation headers as the default OpenTelemetry propagators write them. */
public final class TraceHeaders {
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    public static final String BAGGAGE = "baggage";
    /** All three, in the order they are written. */
    public static final List<String> NAMES = List.of(TRACEPARENT, TRACESTATE, BAGGAGE);

    private TraceHeaders() {
    }

    /** The propagation entries of {@code headers} (text values only); empty when there are none. */
    public static Map<String, String> of(Map<String, ?> headers) {
        if (headers == null || !(headers.get(TRACEPARENT) instanceof String)) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>(4);
        for (String name : NAMES) {
            if (headers.get(name) instanceof String value) {
                out.put(name, value);
            }
        }
        return out;
    }
}
