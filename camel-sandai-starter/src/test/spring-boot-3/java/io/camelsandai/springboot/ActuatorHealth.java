package io.camelsandai.springboot;

import org.springframework.context.ApplicationContext;

import org.springframework.boot.actuate.health.HealthEndpoint;

/**
 * Reads a status through actuator's health endpoint, as an HTTP client of {@code /actuator/health/<path>} would see
 * it. Spring Boot 3 line: Spring Boot 4 moved {@code HealthEndpoint}, so this is the test's only per-line source.
 */
final class ActuatorHealth {
    private ActuatorHealth() {
    }

    static String status(ApplicationContext context, String path) {
        return context.getBean(HealthEndpoint.class).healthForPath(path).getStatus().getCode();
    }
}
