package io.camelsandai.client;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.camelsandai.codec.ResultMeta;
import io.camelsandai.codec.TaskEnvelope;
import io.camelsandai.testsupport.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ten {@code SANDAI_OPERATOR_*} variables of the Python client, set in the real environment of a child JVM
 * ({@link EnvironmentSettingsMain}) against a real, password-protected Redis: each one reaches both the plain Java
 * client and a {@code sandai:} endpoint, and the broker and backend URLs are the ones used.
 */
class EnvironmentVariablesTest {
    private static final String PASSWORD = "env-var-s3cret";

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.builder().withPassword(PASSWORD).build();

    @Test
    void everySandaiOperatorVariableTakesEffectThroughARealEnvironment() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SANDAI_OPERATOR_CELERY_BROKER_URL", REDIS.url(1));
        env.put("SANDAI_OPERATOR_CELERY_RESULT_BACKEND", REDIS.url(2));
        env.put("SANDAI_OPERATOR_CELERY_TASK_SERIALIZER", "json");
        env.put("SANDAI_OPERATOR_CELERY_RESULT_SERIALIZER", "msgpack");
        env.put("SANDAI_OPERATOR_AUTO_FORGET_RESULT", "true");
        env.put("SANDAI_OPERATOR_BROKER_POOL_LIMIT", "3");
        env.put("SANDAI_OPERATOR_BACKEND_POOL_LIMIT", "5");
        env.put("SANDAI_OPERATOR_BACKEND_POLL_CONCURRENCY", "2");
        env.put("SANDAI_OPERATOR_POOL_ACQUIRE_TIMEOUT", "7");
        env.put("SANDAI_OPERATOR_SHARED_TRANSPORT_SCOPE", "process");
        assertEquals(10, env.size());

        String output = runChild(env);
        Map<String, String> printed = parse(output);
        assertEquals("true", printed.get("done"), output);
        assertFalse(output.contains(PASSWORD), "the password never appears in the printed settings");

        String hostPort = REDIS.host() + ":" + REDIS.port();
        for (String surface : List.of("client", "endpoint")) {
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("brokerUrl", "redis://:***@" + hostPort + "/1");
            expected.put("resultBackendUrl", "redis://:***@" + hostPort + "/2");
            expected.put("taskSerializer", "json");
            expected.put("resultSerializer", "msgpack");
            expected.put("autoForgetResult", "true");
            expected.put("brokerPoolLimit", "3");
            expected.put("backendPoolLimit", "5");
            expected.put("backendPollConcurrency", "2");
            expected.put("poolAcquireTimeout", "PT7S");
            expected.put("sharedTransportScope", "PROCESS");
            expected.forEach((key, value) -> assertEquals(value, printed.get(surface + "." + key),
                    surface + "." + key + "\n" + output));
        }
        // process scope: two operators share one broker transport (the default scope, operator, would not)
        assertEquals("true", printed.get("sharedBroker"), output);
        assertEquals("success", printed.get("call.status"), output);

        try (Jedis db0 = REDIS.newJedis(0); Jedis broker = REDIS.newJedis(1); Jedis backend = REDIS.newJedis(2)) {
            assertEquals(0L, db0.dbSize(), "nothing went to the default database: " + db0.keys("*"));
            // the broker URL: the unserved task waits in db 1, as JSON (the task serializer)
            List<String> waiting = broker.lrange("normal.idle-op.v1", 0, -1);
            assertEquals(1, waiting.size());
            TaskEnvelope envelope = TaskEnvelope.parse(waiting.get(0));
            assertEquals(printed.get("queued.id"), envelope.taskId());
            assertEquals("application/json", envelope.contentTypeName(), waiting.get(0));
            assertTrue(broker.keys("celery-task-meta-*").isEmpty(), "no result in the broker database");
            // the backend URL: results in db 2; the one read through the client was forgotten (auto-forget)
            assertNull(backend.get("celery-task-meta-" + printed.get("call.id")), "auto-forget deleted it");
            byte[] kept = backend.get(("celery-task-meta-" + printed.get("kept.id")).getBytes(StandardCharsets.UTF_8));
            assertNotNull(kept, "the answered, unread result is in the backend database");
            int first = kept[0] & 0xff;
            assertTrue(first >= 0x80 && first <= 0x8f || first == 0xde, "msgpack map, not JSON: " + first);
            assertEquals("SUCCESS", ResultMeta.decode(kept).status());
        }
    }

    /** The child JVM with exactly these SANDAI_OPERATOR_* variables (inherited ones removed); its output. */
    private static String runChild(Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = Path.of("target", "environment-variables-child.log").toFile();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                EnvironmentSettingsMain.class.getName()).redirectErrorStream(true).redirectOutput(log);
        pb.environment().keySet().removeIf(k -> k.startsWith("SANDAI_OPERATOR_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM finished");
        } finally {
            p.destroyForcibly();
        }
        String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        return output;
    }

    private static Map<String, String> parse(String output) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Za-z.]+")) {
                m.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return m;
    }
}
