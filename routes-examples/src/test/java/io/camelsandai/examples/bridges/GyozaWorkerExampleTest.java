package io.camelsandai.examples.bridges;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.bridge.FakeGyoza;
import io.camelsandai.testsupport.RedisServerExtension;

/** The example claims runs from a strict in-process gyoza server and runs them on video-clipper:v1. */
class GyozaWorkerExampleTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @Test
    void runsOpsOnTheOperator() throws Exception {
        CamelContext context = EchoOperators.start(REDIS.url(), "video-clipper", "v1");
        try (FakeGyoza gyoza = new FakeGyoza("gyoza-key")) {
            GyozaWorkerExample.addTo(context, REDIS.url(), gyoza.url(), "gyoza-key");
            String ok = gyoza.addRun("clip-video", "1", null, Map.of("start", 3));
            String failed = gyoza.addRun("clip-video", "1", null, Map.of("fail", "bad codec"));
            await().atMost(Duration.ofSeconds(30)).until(() -> gyoza.run(ok).state.equals("COMPLETED")
                                                               && gyoza.run(failed).state.equals("FAILED"));
            assertEquals("bad codec", gyoza.run(failed).events.get(1).path("payload").path("error_message").asText());
            assertEquals(4, gyoza.heartbeats.get(0).path("resources").path("cpu_cores").asInt());
            assertTrue(gyoza.violations.isEmpty(), () -> gyoza.violations.toString());
        } finally {
            context.stop();
        }
    }
}
