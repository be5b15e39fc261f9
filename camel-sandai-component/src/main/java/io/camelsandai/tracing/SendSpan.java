package io.camelsandai.tracing;

import java.util.Map;

/** The PRODUCER span of one send: its context goes into the message headers, it ends when Redis has the task. */
public interface SendSpan {

    /** No span: no headers, nothing to end. */
    SendSpan NONE = new SendSpan() {
        @Override
        public Map<String, String> headers() {
            return Map.of();
        }

        @Override
        public void end(Throwable error) {
        }
    };

    /** The propagation headers ({@code traceparent}, ...) to write into the Celery message headers. */
    Map<String, String> headers();

    /** The send finished; {@code error} is null when Redis has the task. Never throws. */
    void end(Throwable error);
}
