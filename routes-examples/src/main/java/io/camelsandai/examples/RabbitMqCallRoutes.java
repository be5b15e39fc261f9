package io.camelsandai.examples;

import java.util.List;
import java.util.Map;

import org.apache.camel.builder.RouteBuilder;

/**
 * Calling an operator whose tasks travel over RabbitMQ: the same {@code sandai:} producer, with an {@code amqp://}
 * broker URL; results (and cancel keys) stay on the Redis result backend, as Sandai operators use it.
 * <ul>
 * <li>{@code direct:clip-over-rabbitmq} (InOut): a video URI in; sends {@code video-clipper v1} a task on
 * {@code normal.video-clipper.v1} (published with a publisher confirm), waits for the result and answers its
 * {@code artifacts} list.</li>
 * </ul>
 * Properties: {@code sandai.amqp-url} ({@code amqp://user:pass@host:5672/vhost}) and {@code sandai.broker-url} (the
 * Redis result backend).
 */
public class RabbitMqCallRoutes extends RouteBuilder {
    private static final String VIDEO_CLIPPER = "sandai:video-clipper:v1?brokerUrl=RAW({{sandai.amqp-url}})"
                                                + "&resultBackendUrl=RAW({{sandai.broker-url}})&timeout=30";

    @Override
    public void configure() {
        from("direct:clip-over-rabbitmq").routeId("clip-over-rabbitmq")
                .setBody(exchange -> Map.of("input_artifacts",
                        List.of(Map.of("uri", exchange.getMessage().getBody(String.class), "slot", "video")),
                        "options", Map.of("clip_duration", 10)))
                .to(VIDEO_CLIPPER)
                .setBody(simple("${body[artifacts]}"));
    }
}
