package io.camelsandai.tracing;

import java.util.Map;

/** The CONSUMER span of one task run, child of the sender's span when the message carried its context. */
public interface RunSpan {

    /** No span. */
    RunSpan NONE = new RunSpan() {
        @Override
        public TracingScope enter() {
            return TracingScope.NONE;
        }

        @Override
        public Map<String, String> headers() {
            return Map.of();
        }

        @Override
        public void end(String status, Throwable error) {
        }
    };

    /** Makes the span current on this thread until the scope is closed. */
    TracingScope enter();

    /** This span's context as propagation headers, for whatever runs the task further (e.g. a Camel exchange). */
    Map<String, String> headers();

    /**
     * The run finished. {@code status} is the Sandai outcome ({@code success}, {@code failed}, ...; null when the
     * handler gave none); any status other than success, or an error, marks the span as an error. Never throws.
     */
    void end(String status, Throwable error);
}
