package io.camelsandai.operator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.KombuKeys;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.testsupport.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a runtime in its own JVM while 1000 tasks flow, twice, at different points: a runtime with a short
 * visibility timeout restores what the dead ones held, and every task ends with a final result.
 * {@link KillRestoreSoakTest} repeats this longer.
 */
class KillRestoreTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();

    static final int TASKS = 1000;
    static final int VISIBILITY_SECONDS = 3;

    private RuntimeFixture fx;
    private RuntimeProcesses children;

    @BeforeEach
    void setUp() {
        fx = new RuntimeFixture(redis);
        children = new RuntimeProcesses(redis.url(), "kill-test-runtime");
    }

    @AfterEach
    void tearDown() {
        children.close();
        fx.close();
    }

    private long finished(List<String> ids) {
        return RuntimeProcesses.finished(fx.jedis, ids);
    }

    @Test
    void everyTaskEndsWithAFinalResultAfterKills() throws Exception {
        List<String> ids = RuntimeProcesses.pushTasks(fx, TASKS);

        Process first = children.start(VISIBILITY_SECONDS, 8);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> finished(ids) >= 150);
        RuntimeProcesses.kill(first);
        Process second = children.start(VISIBILITY_SECONDS, 8);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> finished(ids) >= 450);
        RuntimeProcesses.kill(second);
        long inFlightAtKill = fx.jedis.zcard(KombuKeys.UNACKED_INDEX);

        fx.start(b -> b.concurrency(16).visibilityTimeout(Duration.ofSeconds(VISIBILITY_SECONDS)),
                task -> CompletableFuture.completedFuture(OperatorResult.success(List.of(), Map.of("survivor", true))));
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100)).until(() -> finished(ids) == TASKS);
        for (String id : ids) {
            assertEquals(CeleryState.SUCCESS, fx.result(id).status());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.jedis.zcard(KombuKeys.UNACKED_INDEX) == 0
                                                           && fx.jedis.hlen(KombuKeys.UNACKED) == 0);
        assertTrue(inFlightAtKill > 0, "the second kill left tasks in flight to restore");
    }
}
