package io.camelsandai.operator;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.camelsandai.codec.ResultMeta;
import io.camelsandai.codec.TaskMessage;
import io.camelsandai.model.Priority;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Runtimes in child JVMs ({@link RuntimeProcessMain}) that a test can {@code kill -9}, plus the task bookkeeping
 * the kill tests share: a burst of tasks over all priorities and a count of final results.
 */
final class RuntimeProcesses implements AutoCloseable {
    private static final int MGET_CHUNK = 1_000;

    private final String redisUrl;
    private final String logName;
    private final List<Process> processes = new ArrayList<>();

    /** {@code logName}: the child logs go to {@code target/<logName>-<n>.log}. */
    RuntimeProcesses(String redisUrl, String logName) {
        this.redisUrl = redisUrl;
        this.logName = logName;
    }

    /** A runtime in a new JVM with the given visibility timeout and concurrency; it starts taking at once. */
    Process start(int visibilitySeconds, int concurrency) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = Path.of("target", logName + "-" + processes.size() + ".log").toFile();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                RuntimeProcessMain.class.getName(), redisUrl, Integer.toString(visibilitySeconds),
                Integer.toString(concurrency)).redirectErrorStream(true).redirectOutput(log).start();
        processes.add(p);
        return p;
    }

    /** SIGKILL: no shutdown hook, no close, nothing told to Redis; returns once the process is gone. */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    int started() {
        return processes.size();
    }

    /** LPUSHes {@code count} tasks round-robin over the four priorities in one pipeline; returns their ids. */
    static List<String> pushTasks(RuntimeFixture fx, int count) {
        List<String> ids = new ArrayList<>(count);
        Pipeline p = fx.jedis.pipelined();
        for (int i = 0; i < count; i++) {
            TaskMessage m = fx.message(Priority.values()[i % 4], Map.of("options", Map.of("i", i))).build();
            ids.add(m.id());
            p.lpush(m.listKey(), m.toEnvelope());
        }
        p.sync();
        return ids;
    }

    /** Final results among {@code ids}, read with MGETs. */
    static long finished(Jedis jedis, List<String> ids) {
        return results(jedis, ids).stream().filter(m -> m != null && m.isFinal()).count();
    }

    /** The stored metas of {@code ids} in order (null where none is stored), read with MGETs. */
    static List<ResultMeta> results(Jedis jedis, List<String> ids) {
        List<ResultMeta> metas = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += MGET_CHUNK) {
            byte[][] keys = ids.subList(from, Math.min(ids.size(), from + MGET_CHUNK)).stream()
                    .map(id -> ("celery-task-meta-" + id).getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
            jedis.mget(keys).forEach(v -> metas.add(v == null ? null : ResultMeta.decode(v)));
        }
        return metas;
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
    }
}
