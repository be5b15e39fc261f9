package io.camelsandai.springboot;

import java.util.Map;

import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import io.camelsandai.client.OperatorClient;

/**
 * The {@code sandai} health contributor, when actuator is present (off with
 * {@code management.health.sandai.enabled=false}). Spring Boot 3 line; see {@link SandaiHealthIndicator}.
 */
@AutoConfiguration(after = SandaiOperatorClientsAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnEnabledHealthIndicator("sandai")
public class SandaiHealthAutoConfiguration {

    @Bean
    SandaiHealthIndicator sandaiHealthIndicator(Map<String, OperatorClient> clients) {
        return new SandaiHealthIndicator(clients);
    }
}
