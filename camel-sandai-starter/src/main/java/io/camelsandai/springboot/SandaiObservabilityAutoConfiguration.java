package io.camelsandai.springboot;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.camelsandai.metrics.MicrometerSandaiMetrics;
import io.camelsandai.metrics.SandaiMetrics;

/**
 * Metrics when Micrometer is present: sandai meters in the application's {@link MeterRegistry}. (The {@code sandai}
 * health contributor is {@link SandaiHealthAutoConfiguration}.)
 */
// The application's registry comes from Spring Boot's CompositeMeterRegistryAutoConfiguration, named once per line
// (Spring Boot 4 moved it); a name absent from the classpath is ignored by the ordering.
@AutoConfiguration(after = SandaiOperatorClientsAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
public class SandaiObservabilityAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class Metrics {
        @Bean(SandaiOperatorClientsRegistrar.METRICS_BEAN)
        @ConditionalOnBean(MeterRegistry.class)
        SandaiMetricsBinding sandaiMetrics(MeterRegistry registry) {
            return new SandaiMetricsBinding(new MicrometerSandaiMetrics(registry));
        }
    }

    /** Makes the application's registry the JVM's sandai metrics while the context lives. */
    public static final class SandaiMetricsBinding implements DisposableBean {
        private final MicrometerSandaiMetrics metrics;

        SandaiMetricsBinding(MicrometerSandaiMetrics metrics) {
            this.metrics = metrics;
            SandaiMetrics.setGlobal(metrics);
        }

        public MicrometerSandaiMetrics metrics() {
            return metrics;
        }

        @Override
        public void destroy() {
            SandaiMetrics.setGlobal(null);
        }
    }
}
