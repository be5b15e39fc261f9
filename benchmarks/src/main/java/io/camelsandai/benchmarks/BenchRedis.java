package io.camelsandai.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import redis.clients.jedis.Jedis;

/**
 * The Redis a benchmark runs against: {@code SANDAI_BENCH_REDIS_URL} if set, else a private {@code redis-server} on a
 * free port (no persistence), stopped at the end. Never the shared server on 6379.
 */
public final class BenchRedis implements AutoCloseable {
    private final String url;
    private final Process process;

    private BenchRedis(String url, Process process) {
        this.url = url;
        this.process = process;
    }

    public static BenchRedis start() throws IOException, InterruptedException {
        String given = System.getenv("SANDAI_BENCH_REDIS_URL");
        if (given != null && !given.isBlank()) {
            return new BenchRedis(given, null);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("sandai-bench-redis");
        Process p = new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--maxclients", "10000"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        BenchRedis redis = new BenchRedis("redis://127.0.0.1:" + port + "/0", p);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Jedis j = redis.jedis()) {
                if ("PONG".equals(j.ping())) {
                    return redis;
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("redis-server did not start on port " + port, e);
                }
                Thread.onSpinWait();
            }
        }
    }

    public String url() {
        return url;
    }

    public Jedis jedis() {
        java.net.URI uri = java.net.URI.create(url);
        return new Jedis(uri);
    }

    /** Connections whose CLIENT SETNAME starts with {@code prefix}. */
    int connectionsNamed(Jedis admin, String prefix) {
        int n = 0;
        for (String line : admin.clientList().split("\n")) {
            if (line.contains(" name=" + prefix)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
        }
    }
}
