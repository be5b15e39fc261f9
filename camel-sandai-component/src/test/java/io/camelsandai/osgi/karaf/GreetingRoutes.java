package io.camelsandai.osgi.karaf;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

import io.camelsandai.component.SandaiComponent;
import io.camelsandai.model.OperatorRequest;

/**
 * Deployed INTO Karaf by {@code KarafRuntimeTest} (packaged as its own bundle and dropped into {@code deploy/}): a
 * {@code sandai:} consumer route serving {@code karaf-greet:v1} which, for each request, calls {@code test-upper:v1}
 * (served by the test JVM) through a {@code sandai:} producer and answers with a greeting made of its result. Both
 * directions of the component thus run inside Karaf, against the Redis whose URL the test puts in Karaf's system
 * properties.
 */
public class GreetingRoutes implements BundleActivator {
    /** Karaf system property (etc/system.properties) with the Redis URL. */
    public static final String BROKER_URL_PROPERTY = "sandai.it.brokerUrl";

    private CamelContext camel;

    @Override
    public void start(BundleContext context) throws Exception {
        String brokerUrl = context.getProperty(BROKER_URL_PROPERTY);
        if (brokerUrl == null) {
            throw new IllegalStateException("Karaf system property " + BROKER_URL_PROPERTY + " is not set");
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Without camel-karaf's OSGi class resolver Camel falls back to the thread context loader for its own service
        // files: make it Camel's bundle (the host of the wrapped Camel jars).
        thread.setContextClassLoader(CamelContext.class.getClassLoader());
        try {
            camel = new DefaultCamelContext(false);
            // Service files of the sandai bundle (configurers, URI factory) are found through its class loader.
            camel.setApplicationContextClassLoader(SandaiComponent.class.getClassLoader());
            camel.build();
            SandaiComponent sandai = new SandaiComponent();
            sandai.getConfiguration().setBrokerUrl(brokerUrl);
            camel.addComponent("sandai", sandai);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("sandai:karaf-greet:v1").routeId("karaf-greet")
                            .process(e -> {
                                OperatorRequest request = e.getMessage().getBody(OperatorRequest.class);
                                Object text = request.options().get("text");
                                e.getMessage().setBody(Map.of("options", Map.of("text", text)));
                            })
                            .to("sandai:test-upper:v1?timeout=20s")
                            .process(e -> {
                                @SuppressWarnings("unchecked")
                                Map<String, Object> upper = (Map<String, Object>) e.getMessage().getBody(Map.class)
                                        .get("results");
                                e.getMessage().setBody(Map.of("results", Map.of(
                                        "greeting", "hello " + upper.get("upper"),
                                        "routeBundle", symbolicName(GreetingRoutes.class),
                                        "componentBundle", symbolicName(SandaiComponent.class),
                                        "camelBundle", symbolicName(CamelContext.class))));
                            });
                }
            });
            camel.start();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void stop(BundleContext context) throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    private static String symbolicName(Class<?> type) {
        return String.valueOf(FrameworkUtil.getBundle(type) == null ? null : FrameworkUtil.getBundle(type)
                .getSymbolicName());
    }
}
