package io.camelsandai.springboot;

import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.camelsandai.client.OperatorClient;
import io.camelsandai.metrics.MicrometerSandaiMetrics;
import io.camelsandai.metrics.SandaiMetrics;

/**
 * Health and metrics when actuator / Micrometer are present: the {@code sandai} health contributor and sandai meters
 * in the application's {@link MeterRegistry}.
 */
@AutoConfiguration(after = SandaiOperatorClientsAutoConfiguration.class,
                   afterName = "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration")
public class SandaiObservabilityAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("sandai")
    static class Health {
        @Bean
        SandaiHealthIndicator sandaiHealthIndicator(Map<String, OperatorClient> clients) {
            return new SandaiHealthIndicator(clients);
        }
    }

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
