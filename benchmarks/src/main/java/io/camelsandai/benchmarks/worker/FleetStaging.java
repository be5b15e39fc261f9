package io.camelsandai.benchmarks.worker;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.benchmarks.BenchRedis;
import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.client.TaskHandle;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.Priority;
import io.camelsandai.transport.ResultBackend;
import redis.clients.jedis.Jedis;

/**
 * Tasks sent ahead of time into Redis database 1, where no worker listens, then {@code MOVE}d queue by queue into
 * database 0 in one step each: the workers find a full queue at a known instant and the clock sees only them (as in
 * {@link PreFilledDrain}, here for all four priority queues).
 */
final class FleetStaging implements AutoCloseable {
    /** What a tagged worker wrote into a result: which worker ran the task, and when its handler started. */
    record Tag(String worker, double startMillis) {
        boolean java() {
            return worker.startsWith("java");
        }
    }

    private final OperatorClient client;
    private final Jedis db0;
    private final Jedis db1;

    FleetStaging(BenchRedis redis) {
        String stagingUrl = redis.url().replaceFirst("/0$", "/1");
        if (stagingUrl.equals(redis.url())) {
            throw new IllegalStateException("expected a Redis URL ending in database /0: " + redis.url());
        }
        client = OperatorClient.create(WorkerBenchmark.OPERATOR, WorkerBenchmark.VERSION, OperatorSettings.builder()
                .brokerUrl(stagingUrl).environment(k -> null).defaultTimeout(Duration.ofMinutes(10)).build());
        db0 = redis.jedis();
        db1 = new Jedis(URI.create(stagingUrl));
    }

    static String queue(Priority priority) {
        return priority.queueFor(WorkerBenchmark.OPERATOR, WorkerBenchmark.VERSION);
    }

    /** Sends the requests with the given priorities into the staging database; their task ids, in order. */
    List<String> stage(List<OperatorRequest> requests, List<Priority> priorities) {
        List<CompletableFuture<TaskHandle>> sends = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            sends.add(client.submitAsync(requests.get(i), CallOptions.priority(priorities.get(i))));
        }
        List<String> ids = new ArrayList<>(requests.size());
        sends.forEach(f -> ids.add(f.join().id()));
        return ids;
    }

    /** Moves one staged queue under the workers. */
    void release(Priority priority) {
        if (db1.exists(queue(priority)) && db1.move(queue(priority), 0) != 1) {
            throw new IllegalStateException("MOVE of " + queue(priority) + " into database 0 failed (not empty?)");
        }
    }

    long queued(Priority priority) {
        return db0.llen(queue(priority));
    }

    /** Length in bytes of the first staged message of a queue (the envelope as it sits in Redis). */
    long stagedMessageBytes(Priority priority) {
        byte[] first = db1.lindex(queue(priority).getBytes(java.nio.charset.StandardCharsets.UTF_8), 0);
        return first == null ? -1 : first.length;
    }

    /** Waits until every task of {@code ids} has a final result; polls, lightly. */
    void awaitDone(List<String> ids) {
        LoadClient.awaitDrained(db0, queue(Priority.VERY_LOW), ids);
    }

    /** The tags of the given (finished) tasks; a result without a tag (a failure) is an error here. */
    Map<String, Tag> tags(List<String> ids) {
        Map<String, Tag> tags = new HashMap<>(ids.size() * 2);
        for (int from = 0; from < ids.size(); from += 1000) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 1000));
            List<byte[]> values = db0.mget(chunk.stream().map(id -> ResultBackend.metaKey(id)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toArray(byte[][]::new));
            for (int i = 0; i < chunk.size(); i++) {
                ResultMeta meta = ResultMeta.decode(values.get(i));
                if (!(meta.result() instanceof Map<?, ?> result && result.get("results") instanceof Map<?, ?> r
                      && r.get("w") instanceof String w && r.get("t") instanceof Number t)) {
                    throw new IllegalStateException("task " + chunk.get(i) + " has no tagged result: " + meta);
                }
                tags.put(chunk.get(i), new Tag(w, t.doubleValue()));
            }
        }
        return tags;
    }

    Jedis admin() {
        return db0;
    }

    @Override
    public void close() {
        db1.close();
        db0.close();
        client.close();
    }
}
