package io.camelsandai.fault;

import java.time.Duration;
import java.util.Map;

import io.camelsandai.client.OperatorClient;
import io.camelsandai.component.SandaiConstants;
import io.camelsandai.component.SandaiConsumer;
import io.camelsandai.component.SandaiProducerHealthCheck;
import io.camelsandai.testsupport.RedisServerExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Redis down for 35 s, longer than every timeout in play: the worker's 30 s socket timeout (and the 30 s the cancel
 * check used to allow), the clients' 5 s pool acquire and 2 s connect timeouts (shortened in {@link FaultFixture}
 * so that this short outage outlasts them; the soak keeps Redis down 60 s). The worker is a Camel route; callers
 * wait through the outage. Health checks and {@code ping()} say DOWN during it and UP within 5 s after it.
 */
class RedisOutageHealthFaultTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.builder().withAppendOnly().build();

    private static final Duration OUTAGE = Duration.ofSeconds(35);

    @Test
    void outageLongerThanEveryTimeoutLosesNothingAndHealthFollowsRedis() throws Exception {
        try (FaultFixture fx = new FaultFixture(); FaultLedger ledger = new FaultLedger();
             CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("sandai:" + FaultFixture.OPERATOR + ":" + FaultFixture.VERSION + "?brokerUrl=" + redis.url()
                         + "&concurrency=4&prefetch=8&visibilityTimeout=10s&shutdownTimeout=5s")
                            .routeId("worker")
                            .process(e -> ledger.ran(e.getMessage().getHeader(SandaiConstants.TASK_ID, String.class)))
                            .delay(50).asyncDelayed()
                            .setBody(e -> Map.of("results", Map.of("ok", true)));
                }
            });
            camel.start();
            SandaiConsumer consumer = (SandaiConsumer) camel.getRoute("worker").getConsumer();
            HealthCheck consumerCheck = ((HealthCheckAware) consumer).getHealthCheck();
            OperatorClient client = fx.client(redis.url());
            SandaiProducerHealthCheck producerCheck = new SandaiProducerHealthCheck(client, "producer:fault");
            producerCheck.setCamelContext(camel);
            await().atMost(Duration.ofSeconds(10)).until(() -> up(consumerCheck) && up(producerCheck)
                                                                && client.ping());

            for (int i = 0; i < 200; i++) {
                ledger.call(client, Duration.ofSeconds(150), i % 2 == 0 ? "never-set-" + i : null);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ledger.started() >= 40);

            redis.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> !up(consumerCheck) && !up(producerCheck)
                                                                && !client.ping());
            // the outage itself: health must stay DOWN all along, while the route and the callers wait
            await().during(OUTAGE.minusSeconds(5)).atMost(OUTAGE).until(() -> !up(consumerCheck)
                                                                             && !up(producerCheck));
            assertFalse(client.ping());
            redis.start();
            long back = System.nanoTime();
            await("UP within 5 s of Redis's return").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> up(consumerCheck) && up(producerCheck) && client.ping());

            ledger.report("redis down " + OUTAGE.toSeconds() + " s (Camel worker)", Duration.ofSeconds(90), back)
                    .assertHolds(8);
        }
    }

    private static boolean up(HealthCheck check) {
        return check.callReadiness().getState() == HealthCheck.State.UP;
    }
}
