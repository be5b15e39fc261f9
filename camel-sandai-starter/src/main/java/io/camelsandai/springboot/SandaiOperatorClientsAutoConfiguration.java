package io.camelsandai.springboot;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** Shared {@link io.camelsandai.client.OperatorClient} beans for {@code sandai.operators.<name>.*}. */
@AutoConfiguration(after = SandaiComponentAutoConfiguration.class)
@EnableConfigurationProperties(SandaiOperatorsProperties.class)
public class SandaiOperatorClientsAutoConfiguration {

    /** Static: a registry post-processor must not pull its configuration class in early. */
    @Bean
    static SandaiOperatorClientsRegistrar sandaiOperatorClientsRegistrar(Environment environment) {
        return new SandaiOperatorClientsRegistrar(environment);
    }
}
