package io.camelsandai.examples.bridges;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.bridge.FakeAvtomatika;
import io.camelsandai.testsupport.RedisServerExtension;

/** The example registers with a strict in-process orchestrator and answers its tasks through whisper:v1. */
class AvtomatikaWorkerExampleTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    private static final String TOKEN = "worker-token-for-tests";

    @Test
    void runsSkillsOnTheOperator() throws Exception {
        CamelContext context = EchoOperators.start(REDIS.url(), "whisper", "v1");
        try (FakeAvtomatika orchestrator = new FakeAvtomatika(TOKEN)) {
            orchestrator.pollHoldMillis(200);
            AvtomatikaWorkerExample.addTo(context, REDIS.url(), orchestrator.url(), TOKEN);
            String ok = orchestrator.addTask("transcribe", Map.of("lang", "en"), null);
            String failed = orchestrator.addTask("transcribe", Map.of("fail", "no audio"), null);
            await().atMost(Duration.ofSeconds(30)).until(() -> orchestrator.resultOf(ok) != null
                                                               && orchestrator.resultOf(failed) != null);
            assertEquals("en", orchestrator.resultOf(ok).path("data").path("results").path("echo").path("lang").asText());
            assertEquals("PERMANENT_ERROR", orchestrator.resultOf(failed).path("error").path("code").asText());
        } finally {
            context.stop();
        }
    }
}
