package io.camelsandai.testsupport;

import java.io.IOException;
import java.nio.file.Path;

import redis.embedded.RedisServer;

/**
 * The redis-server binary bundled in embedded-redis (6.2), used only when neither Docker nor a
 * redis-server on PATH is available. embedded-redis registers its own shutdown hook for the process.
 */
final class EmbeddedRedisBackend implements RedisBackend {

    private final int port;
    private final Path dataDir;
    private RedisServer server;

    EmbeddedRedisBackend(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    @Override
    public RedisKind kind() {
        return RedisKind.EMBEDDED;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void start() throws IOException {
        if (server == null) {
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("dir " + dataDir)
                    .build();
        }
        server.start();
    }

    @Override
    public void stop() throws IOException {
        if (server != null) {
            server.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return server != null && server.isActive();
    }

    @Override
    public boolean supportsRestart() {
        return true;
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (IOException | RuntimeException ignored) {
            // best effort: the embedded-redis shutdown hook is the fallback
        }
        RedisFiles.deleteQuietly(dataDir);
    }

    @Override
    public String diagnostics() {
        return "embedded-redis on port " + port;
    }
}
