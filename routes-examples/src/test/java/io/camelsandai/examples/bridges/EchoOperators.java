package io.camelsandai.examples.bridges;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.operator.OperatorFailure;

/** A CamelContext serving a Sandai echo operator: answers {"echo": options}; option fail makes it fail (not retryable). */
final class EchoOperators {
    private EchoOperators() {
    }

    static CamelContext start(String brokerUrl, String name, String version) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("sandai:" + name + ":" + version + "?brokerUrl=" + brokerUrl + "&concurrency=4")
                        .routeId("echo-" + name)
                        .process(exchange -> {
                            OperatorRequest request = exchange.getMessage().getBody(OperatorRequest.class);
                            if (request.options().containsKey("fail")) {
                                throw new OperatorFailure("Boom", String.valueOf(request.options().get("fail")), false);
                            }
                            exchange.getMessage().setBody(OperatorResult.success(List.of(),
                                    Map.of("echo", request.options())));
                        });
            }
        });
        context.start();
        return context;
    }
}
