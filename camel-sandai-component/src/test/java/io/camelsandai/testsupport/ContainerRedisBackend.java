package io.camelsandai.testsupport;

import org.testcontainers.containers.FixedHostPortGenericContainer;
import org.testcontainers.containers.GenericContainer;

/**
 * Testcontainers {@code redis:7}. The host port is fixed (chosen free by the extension) because
 * {@code start()} after {@code stop()} must come back on the SAME port, and Docker re-maps random
 * ports on every container start. Stop/start act on the same container (docker stop / docker start),
 * Ryuk removes it if the JVM dies.
 *
 * <p>Only loaded when a Docker engine answered, so other modules do not need Testcontainers on
 * their classpath.
 */
final class ContainerRedisBackend implements RedisBackend {

    private static final String IMAGE = "redis:7";

    private final int port;
    private GenericContainer<?> container;
    private boolean stopped;

    ContainerRedisBackend(int port) {
        this.port = port;
    }

    @Override
    public RedisKind kind() {
        return RedisKind.CONTAINER;
    }

    @Override
    public String host() {
        return container != null ? container.getHost() : "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @SuppressWarnings({"deprecation", "resource"})
    @Override
    public void start() {
        if (container == null) {
            container = new FixedHostPortGenericContainer<>(IMAGE)
                    .withFixedExposedPort(port, 6379)
                    .withCommand("redis-server", "--save", "", "--appendonly", "no");
            container.start();
        } else if (stopped) {
            container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
        }
        stopped = false;
    }

    @Override
    public void stop() {
        if (container != null && !stopped) {
            container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(5).exec();
            stopped = true;
        }
    }

    @Override
    public boolean isRunning() {
        return container != null && !stopped;
    }

    @Override
    public boolean supportsRestart() {
        return true;
    }

    @Override
    public void close() {
        if (container != null) {
            try {
                container.stop();
            } catch (RuntimeException ignored) {
                // Ryuk removes it anyway
            }
        }
    }

    @Override
    public String diagnostics() {
        return container == null ? "container not created" : "container " + IMAGE + " logs:\n" + container.getLogs();
    }
}
