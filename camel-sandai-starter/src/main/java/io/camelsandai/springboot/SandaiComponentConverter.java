package io.camelsandai.springboot;

import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;

import io.camelsandai.component.SandaiConfiguration;

/**
 * Lets {@code camel.component.sandai.configuration=#myConfig} (or {@code #bean:myConfig}) name a
 * {@link SandaiConfiguration} bean, as Camel's starters do for options that take beans.
 */
@Configuration(proxyBeanMethods = false)
@ConfigurationPropertiesBinding
public class SandaiComponentConverter implements GenericConverter {

    private final ApplicationContext applicationContext;

    public SandaiComponentConverter(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        return Set.of(new ConvertiblePair(String.class, SandaiConfiguration.class));
    }

    @Override
    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        if (source == null) {
            return null;
        }
        String ref = source.toString();
        if (!ref.startsWith("#")) {
            return null;
        }
        String name = ref.startsWith("#bean:") ? ref.substring("#bean:".length()) : ref.substring(1);
        return applicationContext.getBean(name, SandaiConfiguration.class);
    }
}
