package io.camelsandai.tracing;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the JVM's {@link SandaiTracing}. Callers get this one forwarding instance, so a replacement installed later
 * (a test's SDK, an application's configured instance) takes effect at once.
 */
final class GlobalSandaiTracing implements SandaiTracing {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalSandaiTracing.class);
    private static final GlobalSandaiTracing INSTANCE = new GlobalSandaiTracing();

    private volatile SandaiTracing delegate;

    private GlobalSandaiTracing() {
    }

    static SandaiTracing current() {
        return INSTANCE;
    }

    static void set(SandaiTracing tracing) {
        INSTANCE.delegate = tracing == null ? detect() : tracing;
    }

    private SandaiTracing delegate() {
        SandaiTracing d = delegate;
        if (d == null) {
            d = detect();
            delegate = d;
        }
        return d;
    }

    private static SandaiTracing detect() {
        try {
            // Looked up by name: this class must load (and answer NOOP) where OpenTelemetry is absent.
            Class.forName("io.opentelemetry.api.GlobalOpenTelemetry", false, GlobalSandaiTracing.class.getClassLoader());
            return OpenTelemetrySandaiTracing.global();
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.debug("OpenTelemetry API is not on the classpath: sandai tasks are not traced");
            return SandaiTracing.NOOP;
        }
    }

    @Override
    public boolean enabled() {
        return delegate().enabled();
    }

    @Override
    public SendSpan send(SpanInfo info) {
        return delegate().send(info);
    }

    @Override
    public RunSpan run(SpanInfo info, Map<String, ?> headers) {
        return delegate().run(info, headers);
    }

    @Override
    public TracingScope enter(Map<String, ?> headers) {
        return delegate().enter(headers);
    }

    @Override
    public Map<String, String> currentHeaders() {
        return delegate().currentHeaders();
    }
}
