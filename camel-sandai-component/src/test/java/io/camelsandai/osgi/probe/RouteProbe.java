package io.camelsandai.osgi.probe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import io.camelsandai.component.SandaiComponent;
import io.camelsandai.model.OperatorRequest;

/**
 * Runs INSIDE the OSGi framework (packaged as its own bundle by {@code OsgiRuntimeTest}): a consumer route serving
 * {@code osgi-echo:v1} and a producer calling it, both through the {@code sandai:} component of the camel-sandai
 * bundle. Talks to the test only through {@code java.*} types, the one thing both sides share.
 */
public class RouteProbe implements Function<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> apply(Map<String, Object> input) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Camel falls back to the thread context loader for its own service files: make it Camel's bundle, as
        // camel-karaf does, so nothing leaks in from the test's class path.
        thread.setContextClassLoader(CamelContext.class.getClassLoader());
        try (CamelContext camel = new DefaultCamelContext(false)) {
            // Service files of the sandai bundle (configurers, URI factory) are found through its class loader.
            camel.setApplicationContextClassLoader(SandaiComponent.class.getClassLoader());
            camel.build();
            // In OSGi the component comes from its bundle (Karaf registers it as a service); here, by hand.
            SandaiComponent sandai = new SandaiComponent();
            sandai.getConfiguration().setBrokerUrl((String) input.get("brokerUrl"));
            camel.addComponent("sandai", sandai);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("sandai:osgi-echo:v1").routeId("osgi-echo")
                            .process(e -> {
                                OperatorRequest request = e.getMessage().getBody(OperatorRequest.class);
                                e.getMessage().setBody(Map.of("results", Map.of("echo", request.options().get("text"))));
                            });
                }
            });
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();
            Object reply = producer.requestBody("sandai:osgi-echo:v1?timeout=20s",
                    Map.of("options", Map.of("text", input.get("text"))));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("reply", reply);
            out.put("componentLoader", String.valueOf(SandaiComponent.class.getClassLoader()));
            out.put("camelLoader", String.valueOf(CamelContext.class.getClassLoader()));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
