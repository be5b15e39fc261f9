package io.camelsandai.examples.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.testsupport.RedisServerExtension;
import redis.clients.jedis.Jedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the whole demo (as main does, minus System.exit) against a private Redis and its own in-process S3Proxy. */
class VideoClipperDemoTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @Test
    void everyTaskEndsAsExpectedAndRedisIsLeftClean() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        try (Jedis jedis = REDIS.newJedis()) {
            jedis.set("someone-elses-key", "kept");
        }

        boolean ok;
        try (DemoInfrastructure infra = DemoInfrastructure.of(REDIS.url(), null, null, null)) {
            ok = new VideoClipperDemo(infra, out, DemoTask.standardSet()).run();
        }

        String text = captured.toString(StandardCharsets.UTF_8);
        assertTrue(ok, text);
        assertTrue(text.contains("Every task ended as expected."), text);
        assertTrue(text.contains("[video-clipper] task"), "progress lines are printed:\n" + text);
        for (String status : List.of("success", "failed", "cancelled", "deadline_exceeded")) {
            assertTrue(text.contains(" " + status + " "), status + " in the table:\n" + text);
        }
        assertTrue(text.contains("12 / s3://sandai-demo/outputs/tmp/video-clipper/v1/"), "1 s clips of 12 s:\n" + text);
        try (Jedis jedis = REDIS.newJedis()) {
            assertEquals(Set.of("someone-elses-key"), jedis.keys("*"), "only keys that are not the demo's remain");
        }
    }

    @Test
    void aTaskEndingOtherwiseThanExpectedFailsTheRun() throws Exception {
        // A task the demo expects to succeed but whose option is invalid: the run must report it and return false.
        DemoTask wrong = new DemoTask("wrong", io.camelsandai.model.Priority.NORMAL, 0,
                java.time.Duration.ofSeconds(30), null, "success");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (DemoInfrastructure infra = DemoInfrastructure.of(REDIS.url(), null, null, null)) {
            boolean ok = new VideoClipperDemo(infra, new PrintStream(captured, true, StandardCharsets.UTF_8),
                    List.of(wrong)).run();
            assertFalse(ok, captured.toString(StandardCharsets.UTF_8));
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains("NO"));
    }
}
