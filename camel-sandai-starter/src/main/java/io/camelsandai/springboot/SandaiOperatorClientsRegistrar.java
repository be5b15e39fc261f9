package io.camelsandai.springboot;

import java.util.Map;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import io.camelsandai.client.OperatorClient;

/**
 * Registers one {@link OperatorClient} bean per {@code sandai.operators.<name>} entry, named {@code <name>}. Bean
 * definitions are made before properties beans exist, so the entries are read with a {@link Binder}; the clients
 * themselves are built lazily from the bound {@link SandaiComponentConfiguration} and closed with the context.
 */
class SandaiOperatorClientsRegistrar implements BeanDefinitionRegistryPostProcessor {
    static final String METRICS_BEAN = "sandaiMetrics";

    private final Environment environment;
    private ConfigurableListableBeanFactory beanFactory;
    private String[] clientBeans = new String[0];

    SandaiOperatorClientsRegistrar(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
        Map<String, OperatorClientProperties> operators = Binder.get(environment)
                .bind("sandai.operators", Bindable.mapOf(String.class, OperatorClientProperties.class))
                .orElse(Map.of());
        clientBeans = operators.keySet().toArray(String[]::new);
        operators.forEach((key, operator) -> {
            RootBeanDefinition definition = new RootBeanDefinition(OperatorClient.class,
                    () -> OperatorClientFactory.create(key, operator, componentConfiguration()));
            definition.setDestroyMethodName("close");
            registry.registerBeanDefinition(key, definition);
        });
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory factory) throws BeansException {
        this.beanFactory = factory;
        // Pools opened by the clients should show up in the application's meter registry, not only the global one.
        if (factory.containsBeanDefinition(METRICS_BEAN)) {
            for (String name : clientBeans) {
                factory.getBeanDefinition(name).setDependsOn(METRICS_BEAN);
            }
        }
    }

    private SandaiComponentConfiguration componentConfiguration() {
        SandaiComponentConfiguration bound = beanFactory == null ? null
                : beanFactory.getBeanProvider(SandaiComponentConfiguration.class).getIfAvailable();
        return bound != null ? bound
                : Binder.get(environment).bind("camel.component.sandai", SandaiComponentConfiguration.class)
                        .orElseGet(SandaiComponentConfiguration::new);
    }
}
