package io.camelsandai.testsupport;

/** One way of running a Redis for {@link RedisServerExtension}; the extension does readiness and clients. */
interface RedisBackend {

    RedisKind kind();

    String host();

    int port();

    /** First start, or restart on the same host port after {@link #stop()}. Returns once launched, not once ready. */
    void start() throws Exception;

    /** Stops the server; afterwards connections to {@link #port()} are refused. */
    void stop() throws Exception;

    boolean isRunning();

    boolean supportsRestart();

    /** Final clean-up (process gone, temp files removed); never throws. */
    void close();

    /** Log excerpt or other context for a failure message. */
    String diagnostics();
}
