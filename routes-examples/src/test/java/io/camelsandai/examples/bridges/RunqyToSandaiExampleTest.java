package io.camelsandai.examples.bridges;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.bridge.runqy.AsynqEnqueuer;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.testsupport.RedisServerExtension;
import redis.clients.jedis.Jedis;

/** runqy tasks enqueued in the asynq layout end completed (or archived) by the example's worker. */
class RunqyToSandaiExampleTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @Test
    void runsRunqyTasksOnTheOperator() throws Exception {
        CamelContext context = EchoOperators.start(REDIS.url(), "transcribe", "v1");
        try (Jedis jedis = new Jedis(REDIS.host(), REDIS.port())) {
            // The same Redis serves as runqy's and Sandai's here; in production they are usually two.
            RunqyToSandaiExample.addTo(context, REDIS.url(), REDIS.url());
            AsynqEnqueuer enqueuer = new AsynqEnqueuer(jedis);
            String ok = enqueuer.enqueue("inference", Map.of("options", Map.of("lang", "en")));
            String failed = enqueuer.enqueue("inference", Map.of("options", Map.of("fail", "no audio")));

            await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(enqueuer.field("inference.default", ok, "state")));
            Map<?, ?> stored = (Map<?, ?>) PythonJson.decode(enqueuer.field("inference.default", ok, "result"));
            assertEquals(Map.of("lang", "en"), ((Map<?, ?>) stored.get("results")).get("echo"));
            await().atMost(Duration.ofSeconds(30)).until(() -> "archived".equals(enqueuer.field("inference.default", failed, "state")));
        } finally {
            context.stop();
        }
    }
}
