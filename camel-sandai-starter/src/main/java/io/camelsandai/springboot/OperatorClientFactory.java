package io.camelsandai.springboot;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;

import io.camelsandai.client.OperatorClient;
import io.camelsandai.component.SandaiConfiguration;

/** Builds the client of one {@code sandai.operators.<name>} entry on top of the component's options. */
final class OperatorClientFactory {
    private OperatorClientFactory() {
    }

    static OperatorClient create(String key, OperatorClientProperties operator, SandaiComponentConfiguration component) {
        if (operator.getVersion() == null || operator.getVersion().isBlank()) {
            throw new IllegalStateException("sandai.operators." + key + ".version is required");
        }
        // The component's options first (the same conversion its endpoints use: TLS, durations, env fallback) ...
        SandaiConfiguration merged = component != null && component.getConfiguration() != null
                ? component.getConfiguration().copy() : new SandaiConfiguration();
        if (component != null) {
            copyNonNull(component, merged);
        }
        // ... then this operator's own.
        copyNonNull(operator, merged);
        String name = operator.getOperatorName() != null ? operator.getOperatorName() : key;
        return OperatorClient.create(name, operator.getVersion(), merged.toOperatorSettings());
    }

    /** Copies every readable, non-null property of {@code source} that {@code target} can take. */
    private static void copyNonNull(Object source, Object target) {
        BeanWrapper from = PropertyAccessorFactory.forBeanPropertyAccess(source);
        BeanWrapper to = PropertyAccessorFactory.forBeanPropertyAccess(target);
        for (var property : from.getPropertyDescriptors()) {
            String name = property.getName();
            if ("configuration".equals(name) || !from.isReadableProperty(name) || !to.isWritableProperty(name)) {
                continue;
            }
            Object value = from.getPropertyValue(name);
            if (value != null) {
                to.setPropertyValue(name, value);
            }
        }
    }
}
