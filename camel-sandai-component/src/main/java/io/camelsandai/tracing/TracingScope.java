package io.camelsandai.tracing;

/** A span made current on one thread; closing restores the previous one. */
public interface TracingScope extends AutoCloseable {

    TracingScope NONE = () -> {
    };

    @Override
    void close();
}
