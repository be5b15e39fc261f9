package io.camelsandai.tracing;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Without the OpenTelemetry API on the classpath tracing is a no-op and no OpenTelemetry-facing class is loaded: the
 * library's classes are loaded afresh from target/classes under a parent that hides {@code io.opentelemetry}.
 */
class TracingWithoutOpenTelemetryTest {

    @Test
    void withoutTheApiNothingIsLoadedAndNoHeaderIsWritten() throws Exception {
        try (Isolated loader = new Isolated(true)) {
            assertEquals(Map.of(), sendHeaders(loader), "no propagation headers");
            assertNull(loader.loaded("io.camelsandai.tracing.OpenTelemetrySandaiTracing"));
        }
    }

    /** The control: the same probe does see the OpenTelemetry class load when the API is visible. */
    @Test
    void withTheApiTheOpenTelemetryTracingIsLoaded() throws Exception {
        try (Isolated loader = new Isolated(false)) {
            sendHeaders(loader);
            assertNotNull(loader.loaded("io.camelsandai.tracing.OpenTelemetrySandaiTracing"));
        }
    }

    private static Map<?, ?> sendHeaders(ClassLoader loader) throws Exception {
        Class<?> tracing = loader.loadClass("io.camelsandai.tracing.SandaiTracing");
        Class<?> info = loader.loadClass("io.camelsandai.tracing.SpanInfo");
        Object global = tracing.getMethod("global").invoke(null);
        Object spanInfo = info.getConstructors()[0].newInstance("t", "id", "normal.op.v1", "op", "v1", "normal");
        Object send = tracing.getMethod("send", info).invoke(global, spanInfo);
        Class<?> sendSpan = loader.loadClass("io.camelsandai.tracing.SendSpan");
        Map<?, ?> headers = (Map<?, ?>) sendSpan.getMethod("headers").invoke(send);
        sendSpan.getMethod("end", Throwable.class).invoke(send, (Throwable) null);
        return headers;
    }

    /** This library from target/classes, child-first; optionally without io.opentelemetry. */
    private static final class Isolated extends URLClassLoader {
        Isolated(boolean hideOpenTelemetry) throws Exception {
            super(new URL[] {Path.of("target", "classes").toUri().toURL()}, new ClassLoader(
                    TracingWithoutOpenTelemetryTest.class.getClassLoader()) {
                @Override
                protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                    if (name.startsWith("io.camelsandai.") || hideOpenTelemetry && name.startsWith("io.opentelemetry.")) {
                        throw new ClassNotFoundException(name);
                    }
                    return super.loadClass(name, resolve);
                }
            });
        }

        Class<?> loaded(String name) {
            return findLoadedClass(name);
        }
    }
}
