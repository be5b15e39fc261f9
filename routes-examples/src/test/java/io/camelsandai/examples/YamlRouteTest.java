package io.camelsandai.examples;

import java.util.Map;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Loads routes/text-stats-caller.camel.yaml as an application would, and calls the Java operator route with it. */
class YamlRouteTest extends ExampleTestSupport {

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new TextStatsOperatorRoute();
    }

    @Test
    void yamlRouteCallsTheOperator() throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(
                PluginHelper.getResourceLoader(context).resolveResource("classpath:routes/text-stats-caller.camel.yaml"));
        assertNotNull(context.getRoute("yaml-text-stats"));

        Object results = template.requestBody("direct:yaml-text-stats", Map.of("options", Map.of("text", "hello yaml")));

        assertEquals(Map.of("words", 2L, "chars", 10L), results);
    }
}
