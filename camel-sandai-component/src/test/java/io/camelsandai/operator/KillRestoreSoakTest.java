package io.camelsandai.operator;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.KombuKeys;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.testsupport.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kill test, longer: 10,000 tasks, and a runtime in a child JVM {@code kill -9}ed at random points six times
 * (a new one started after each kill) while a restoring runtime with a short visibility timeout works alongside.
 * Every task must end with a final SUCCESS and nothing may stay unacked, queued or dead-lettered.
 *
 * <p>Tagged {@code soak} (left out of the default suite, about a minute or two):
 * {@code mvn -o -Dsoak -pl camel-sandai-component verify -Dtest=KillRestoreSoakTest -Dsurefire.failIfNoSpecifiedTests=false}.
 * The kill points come from {@code -Dsoak.seed} (printed when it fails) to replay a failing run.
 */
@Tag("soak")
class KillRestoreSoakTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();

    static final int TASKS = 10_000;
    static final int KILLS = 6;
    static final int VISIBILITY_SECONDS = 3;
    /** The restoring runtime's prefetch: anything in flight above it at a kill was the dead child's. */
    static final int SURVIVOR_CONCURRENCY = 4;

    private RuntimeFixture fx;
    private RuntimeProcesses children;

    @BeforeEach
    void setUp() {
        fx = new RuntimeFixture(redis);
        children = new RuntimeProcesses(redis.url(), "kill-soak-runtime");
    }

    @AfterEach
    void tearDown() {
        children.close();
        fx.close();
    }

    private long finished(List<String> ids) {
        return RuntimeProcesses.finished(fx.jedis, ids);
    }

    /** One kill point per slice of the run, at a random place inside it, so each child gets real work first. */
    static long[] killPoints(Random random) {
        long[] points = new long[KILLS];
        double slice = 0.8 / KILLS;
        for (int k = 0; k < KILLS; k++) {
            points[k] = Math.round(TASKS * (0.05 + slice * (k + random.nextDouble())));
        }
        return points;
    }

    @Test
    void tenThousandTasksSurviveRepeatedKills() throws Exception {
        long seed = Long.getLong("soak.seed", System.nanoTime());
        String replay = " (replay with -Dsoak.seed=" + seed + ")";
        List<String> ids = RuntimeProcesses.pushTasks(fx, TASKS);
        // Works alongside the children from the start, and restores what each dead one held.
        fx.start(b -> b.concurrency(SURVIVOR_CONCURRENCY).visibilityTimeout(Duration.ofSeconds(VISIBILITY_SECONDS)),
                task -> CompletableFuture.supplyAsync(() -> OperatorResult.success(List.of(), Map.of("survivor", true)),
                        CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)));

        long mostInFlightAtAKill = 0;
        for (long point : killPoints(new Random(seed))) {
            Process child = children.start(VISIBILITY_SECONDS, 8);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                    .until(() -> finished(ids) >= point);
            RuntimeProcesses.kill(child);
            mostInFlightAtAKill = Math.max(mostInFlightAtAKill, fx.jedis.zcard(KombuKeys.UNACKED_INDEX));
        }

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> finished(ids) == TASKS);
        List<ResultMeta> results = RuntimeProcesses.results(fx.jedis, ids);
        Set<Object> childPids = new HashSet<>();
        for (int i = 0; i < TASKS; i++) {
            ResultMeta meta = results.get(i);
            assertNotNull(meta, "no result for task " + ids.get(i) + replay);
            assertEquals(CeleryState.SUCCESS, meta.status(), "task " + ids.get(i) + replay);
            Map<String, Object> answer = RuntimeFixture.resultMap(meta);
            assertEquals("success", answer.get("status"), "task " + ids.get(i) + replay);
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) answer.get("results");
            if (values.containsKey("pid")) {
                childPids.add(values.get("pid"));
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.jedis.zcard(KombuKeys.UNACKED_INDEX) == 0
                                                           && fx.jedis.hlen(KombuKeys.UNACKED) == 0);
        for (Priority p : Priority.values()) {
            for (String list : KombuKeys.pollOrder(RuntimeFixture.queue(p))) {
                assertEquals(0, fx.jedis.llen(list), "tasks left in " + list + replay);
            }
        }
        assertEquals(0, fx.jedis.llen("sandai.dead-letter"), "dead-lettered messages" + replay);
        assertEquals(KILLS, children.started(), "children started");
        assertTrue(childPids.size() >= KILLS / 2, "only " + childPids.size() + " killed children answered tasks"
                                                  + replay);
        assertTrue(mostInFlightAtAKill > SURVIVOR_CONCURRENCY,
                "no kill left the dead child's tasks in flight to restore (at most " + mostInFlightAtAKill + ")"
                + replay);
    }
}
