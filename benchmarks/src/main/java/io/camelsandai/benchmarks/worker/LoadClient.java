package io.camelsandai.benchmarks.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.TaskHandle;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.Priority;
import io.camelsandai.transport.ResultBackend;
import redis.clients.jedis.Jedis;

/**
 * The one client every worker configuration is measured with: our Java {@link OperatorClient}.
 *
 * <ul>
 *   <li>Throughput: N tasks pushed pipelined with {@code submitAsync}, then every result awaited through the result
 *       backend; tasks / (first send to last result). The waits are registered (SUBSCRIBE) before the clock
 *       starts, as {@code callAsync} does before it sends, so a fast result is never missed.</li>
 *   <li>Latency: a separate probe stream of sequential calls (one in flight), send to result, so the numbers are
 *       the worker's turnaround and not time spent queued behind a burst.</li>
 * </ul>
 */
final class LoadClient {
    static final Duration WAIT_LIMIT = Duration.ofMinutes(5);

    record Throughput(int tasks, double seconds) {
        double perSecond() {
            return tasks / seconds;
        }
    }

    record Latency(int calls, double p50Millis, double p99Millis) {
    }

    private LoadClient() {
    }

    static OperatorRequest request(int i) {
        return OperatorRequest.of(List.of(), Map.of("i", i));
    }

    static Throughput throughput(OperatorClient client, int tasks) {
        List<String> ids = new ArrayList<>(tasks);
        List<CompletableFuture<ResultMeta>> results = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            results.add(client.handle(id).awaitMeta(WAIT_LIMIT, null, false));
        }
        long start = System.nanoTime();
        List<CompletableFuture<?>> sends = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            sends.add(client.submitAsync(request(i), CallOptions.DEFAULTS.withTaskId(ids.get(i))));
        }
        sends.forEach(CompletableFuture::join);
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        long failed = results.stream().map(CompletableFuture::join).filter(m -> !isSuccess(m)).count();
        if (failed > 0) {
            throw new IllegalStateException(failed + " of " + tasks + " no-op tasks did not succeed");
        }
        return new Throughput(tasks, seconds);
    }

    /**
     * The worker's own pace with a light client: N tasks sent fire-and-forget (no SUBSCRIBE per task), then the
     * queue length polled until it is empty and the results read with MGET until all are there. Separates the
     * worker's cost from the cost of waiting for 10,000s of results over pub/sub.
     */
    static Throughput drain(OperatorClient client, Jedis jedis, int tasks) {
        String queue = Priority.NORMAL.queueFor(client.name(), client.version());
        List<String> ids = new ArrayList<>(tasks);
        long start = System.nanoTime();
        List<CompletableFuture<TaskHandle>> sends = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            sends.add(client.submitAsync(request(i), CallOptions.DEFAULTS));
        }
        sends.forEach(f -> ids.add(f.join().id()));
        awaitDrained(jedis, queue, ids);
        return new Throughput(tasks, (System.nanoTime() - start) / 1e9);
    }

    /** Returns once {@code queue} is empty and every task of {@code ids} has a final result. */
    static void awaitDrained(Jedis jedis, String queue, List<String> ids) {
        while (jedis.llen(queue) > 0) {
            // bounded polling (1 ms): a tighter loop would steal CPU from the worker on a 2-core machine
            LockSupport.parkNanos(1_000_000);
        }
        List<String> missing = ids;
        while (!missing.isEmpty()) {
            List<String> still = new ArrayList<>();
            for (int from = 0; from < missing.size(); from += 1000) {
                List<String> chunk = missing.subList(from, Math.min(missing.size(), from + 1000));
                List<byte[]> values = jedis.mget(chunk.stream().map(id -> ResultBackend.metaKey(id)
                        .getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new));
                for (int i = 0; i < chunk.size(); i++) {
                    byte[] v = values.get(i);
                    if (v == null || !ResultMeta.decode(v).isFinal()) {
                        still.add(chunk.get(i));
                    }
                }
            }
            missing = still;
        }
    }

    private static boolean isSuccess(ResultMeta meta) {
        return "SUCCESS".equals(meta.status()) && meta.result() instanceof Map<?, ?> m && "success".equals(m.get("status"));
    }

    static Latency probe(OperatorClient client, int calls) {
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            client.callAsync(request(i), CallOptions.DEFAULTS, null).join();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return new Latency(calls, percentile(nanos, 0.50) / 1e6, percentile(nanos, 0.99) / 1e6);
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
