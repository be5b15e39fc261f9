package io.camelsandai.testsupport;

import java.net.URI;

/**
 * A Redis given by {@code SANDAI_TEST_REDIS_URL} (for environments that provide one, e.g. a CI
 * service container). We do not own it: it is never stopped, and it is shared, so tests should
 * use their own key names or {@code flushAll()} in a setup step.
 */
final class ExternalRedisBackend implements RedisBackend {

    private final URI uri;

    ExternalRedisBackend(URI uri) {
        this.uri = uri;
    }

    URI uri() {
        return uri;
    }

    @Override
    public RedisKind kind() {
        return RedisKind.EXTERNAL;
    }

    @Override
    public String host() {
        return uri.getHost();
    }

    @Override
    public int port() {
        return uri.getPort() > 0 ? uri.getPort() : 6379;
    }

    @Override
    public void start() {
        // Nothing to launch; readiness (PING) is still checked by the extension.
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("an external Redis (SANDAI_TEST_REDIS_URL) cannot be stopped;"
                + " guard the test with assumeTrue(redis.supportsRestart())");
    }

    @Override
    public boolean isRunning() {
        return true;
    }

    @Override
    public boolean supportsRestart() {
        return false;
    }

    @Override
    public void close() {
    }

    @Override
    public String diagnostics() {
        return "external Redis " + host() + ":" + port();
    }
}
