package io.camelsandai.console;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.component.SandaiConsumer;
import io.camelsandai.testsupport.CeleryWorker;
import io.camelsandai.testsupport.CeleryWorkerOptions;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RedisServerExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code sandai} dev console against a real Redis, a stock Celery worker and a Java operator route. */
class SandaiDevConsoleTest extends CamelTestSupport {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    private final CountDownLatch release = new CountDownLatch(1);

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.setDevConsole(true);
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("sandai:java-con:v1?brokerUrl=" + REDIS.url() + "&concurrency=1&shutdownTimeout=5s")
                        .routeId("java-con")
                        .process(e -> release.await(20, TimeUnit.SECONDS))
                        .setBody(constant(Map.of("artifacts", List.of(), "results", Map.of())));
                from("sandai:java-fail:v1?brokerUrl=" + REDIS.url())
                        .routeId("java-fail")
                        .throwException(new IllegalStateException("the clip store is full"));
            }
        };
    }

    @Test
    void showsQueuesWorkersTasksAndPoolsAsTextAndJson() {
        CeleryWorker worker = PYTHON.startWorker(CeleryWorkerOptions.builder().redis(REDIS).operator("py-con", "v1")
                .pool(CeleryWorkerOptions.Pool.THREADS).concurrency(1).build());
        String idle = "sandai:idle-op:v1?brokerUrl=" + REDIS.url();
        template.sendBody(idle, ExchangePattern.InOnly, Map.of("input_artifacts", List.of(), "options", Map.of()));
        template.sendBody(idle, ExchangePattern.InOnly, Map.of("input_artifacts", List.of(), "options", Map.of()));
        template.sendBody("sandai:java-con:v1?brokerUrl=" + REDIS.url(), ExchangePattern.InOnly,
                Map.of("input_artifacts", List.of(), "options", Map.of()));
        template.sendBody("sandai:java-fail:v1?brokerUrl=" + REDIS.url(), ExchangePattern.InOnly,
                Map.of("input_artifacts", List.of(), "options", Map.of()));
        SandaiConsumer failing = (SandaiConsumer) context.getRoute("java-fail").getConsumer();
        await().atMost(Duration.ofSeconds(10)).until(() -> !failing.getRuntime().recentFailures().isEmpty());
        SandaiConsumer consumer = (SandaiConsumer) context.getRoute("java-con").getConsumer();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.getRuntime().active() == 1);

        DevConsole console = context.getCamelContextExtension().getContextPlugin(DevConsoleRegistry.class)
                .resolveById("sandai");
        assertNotNull(console, "the sandai console is found through META-INF/services/org/apache/camel/dev-console");
        try {
            Map<String, Object> options = Map.of(SandaiDevConsole.PING_TIMEOUT, "1500ms");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> endpoints = (List<Map<String, Object>>) ((Map<String, Object>) console
                    .call(DevConsole.MediaType.JSON, options)).get("endpoints");
            Map<String, Object> idleOp = endpoint(endpoints, "idle-op");
            Map<?, ?> queues = (Map<?, ?>) idleOp.get("queues");
            assertEquals(2L, ((Number) queues.get("normal.idle-op.v1")).longValue(), idleOp::toString);
            assertEquals(0L, ((Number) queues.get("high.idle-op.v1")).longValue());
            Map<?, ?> workers = (Map<?, ?>) idleOp.get("workers");
            assertEquals(Map.of("ok", "pong"), workers.get(worker.hostname()), () -> "the Celery worker answers: " + workers);
            assertTrue(workers.size() >= 2, () -> "the Java operator's remote control answers too: " + workers);
            assertTrue(((Map<?, ?>) idleOp.get("pool")).containsKey("active"));

            Map<String, Object> javaCon = endpoint(endpoints, "java-con");
            assertEquals("java-con", javaCon.get("routeId"));
            assertEquals(1, javaCon.get("active"), javaCon::toString);
            assertEquals(1, javaCon.get("inFlight"));

            Map<String, Object> javaFail = endpoint(endpoints, "java-fail");
            List<?> failures = (List<?>) javaFail.get("recentFailures");
            assertEquals(1, failures.size(), javaFail::toString);
            Map<?, ?> failure = (Map<?, ?>) failures.get(0);
            assertEquals("failed", failure.get("outcome"), failure::toString);
            assertTrue(String.valueOf(failure.get("message")).contains("the clip store is full"), failure::toString);
            assertEquals(List.of(), javaCon.get("recentFailures"), "a route that failed nothing lists nothing");

            String text = (String) console.call(DevConsole.MediaType.TEXT, options);
            assertTrue(text.contains("Recent failure: {time="), text);
            assertTrue(text.contains("Queue: normal.idle-op.v1 depth 2"), text);
            assertTrue(text.contains(worker.hostname() + ": {ok=pong}"), text);
            assertTrue(text.contains("Consumer route: java-con (active 1"), text);
        } finally {
            release.countDown();
        }
    }

    private static Map<String, Object> endpoint(List<Map<String, Object>> endpoints, String operator) {
        return endpoints.stream().filter(e -> operator.equals(e.get("operator"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + operator + " endpoint in " + endpoints));
    }
}
