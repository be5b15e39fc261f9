package io.camelsandai.testsupport;

/** Which kind of Redis a {@link RedisServerExtension} ended up using, in order of preference. */
public enum RedisKind {
    /** {@code SANDAI_TEST_REDIS_URL} points at a Redis run by someone else: no stop/restart, no security options. */
    EXTERNAL,
    /** Testcontainers {@code redis:7}, when a Docker engine answers. */
    CONTAINER,
    /** The {@code redis-server} binary found on PATH. The only kind supporting password, ACL and TLS. */
    BINARY,
    /** The binary bundled in com.github.codemonstur:embedded-redis (Redis 6.2), the last resort. */
    EMBEDDED
}
