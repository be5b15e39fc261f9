package io.camelsandai.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.component.SandaiConstants;
import io.camelsandai.testsupport.CeleryWorkerOptions;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RabbitMqExtension;

/**
 * The RabbitMQ example against the machine's RabbitMQ (a private vhost) and a stock Python Celery worker playing
 * video-clipper v1 on it, results on the test's Redis.
 */
class RabbitMqCallRoutesTest extends ExampleTestSupport {
    @RegisterExtension
    static final RabbitMqExtension RABBIT = RabbitMqExtension.create();
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    @BeforeAll
    static void startOperator() {
        PYTHON.startWorker(CeleryWorkerOptions.builder().broker(RABBIT.url()).backend(REDIS.url())
                .operator("video-clipper", "v1").env("SANDAI_TEST_CANCEL_URL", REDIS.url()).build());
    }

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        p.setProperty("sandai.amqp-url", RABBIT.url());
        return p;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        return new RoutesBuilder[] { new RabbitMqCallRoutes() };
    }

    @Test
    void callsTheOperatorOverRabbitMq() {
        Exchange reply = template.request("direct:clip-over-rabbitmq",
                e -> e.getMessage().setBody("s3://in/video.mp4"));
        List<?> artifacts = reply.getMessage().getBody(List.class);
        assertEquals("success", reply.getMessage().getHeader(SandaiConstants.STATUS));
        assertEquals("s3://in/video.mp4.clip-0", ((Map<?, ?>) artifacts.get(0)).get("uri"));
    }
}
