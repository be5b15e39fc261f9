package io.camelsandai.kamelet;

import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.component.SandaiConstants;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.testsupport.RedisServerExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The {@code sandai-sink} and {@code sandai-source} Kamelets (classpath:kamelets, shipped in the component jar) used
 * from a YAML route: a call through the sink is served by a route built on the source, over real Redis.
 */
class SandaiKameletsTest extends CamelTestSupport {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @Override
    protected void bindToRegistry(org.apache.camel.spi.Registry registry) {
        registry.bind("serve", (Processor) SandaiKameletsTest::serve);
    }

    private static void serve(Exchange exchange) {
        OperatorRequest request = exchange.getMessage().getBody(OperatorRequest.class);
        exchange.getMessage().setBody(Map.of("artifacts", List.of(), "results", Map.of(
                "echo", request.options(),
                "priority", String.valueOf(exchange.getMessage().getHeader(SandaiConstants.PRIORITY)))));
    }

    @Override
    protected boolean useJmx() {
        return false;
    }

    @Test
    void aYamlRouteCallsThroughTheSinkAndServesThroughTheSource() throws Exception {
        String yaml = """
                - route:
                    id: caller
                    from:
                      uri: "direct:call"
                      steps:
                        - to:
                            uri: "kamelet:sandai-sink"
                            parameters:
                              operatorName: kam-op
                              operatorVersion: v1
                              brokerUrl: "%1$s"
                              priority: high
                              timeout: 20s
                - route:
                    id: operator
                    from:
                      uri: "kamelet:sandai-source"
                      parameters:
                        operatorName: kam-op
                        operatorVersion: v1
                        brokerUrl: "%1$s"
                        concurrency: 2
                      steps:
                        - process:
                            ref: serve
                """.formatted(REDIS.url());
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("sandai-kamelets.yaml", yaml));

        Exchange out = template.request("direct:call", e -> e.getMessage().setBody(
                Map.of("input_artifacts", List.of(), "options", Map.of("from", "yaml"))));
        if (out.getException() != null) {
            throw out.getException();
        }
        Map<?, ?> results = (Map<?, ?>) out.getMessage().getBody(Map.class).get("results");
        assertEquals(Map.of("from", "yaml"), results.get("echo"));
        assertEquals("high", results.get("priority"), "the sink's priority parameter reached the queue");
        assertEquals("success", out.getMessage().getHeader(SandaiConstants.STATUS));
        assertNotNull(out.getMessage().getHeader(SandaiConstants.TASK_ID));
    }
}
