package io.camelsandai.examples.demo;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fallbacks a fresh machine gets: the embedded Redis and the in-process S3Proxy. */
class DemoInfrastructureTest {

    @Test
    void embeddedRedisAndS3ProxyStartAndStop() throws Exception {
        int port;
        try (DemoInfrastructure infra = DemoInfrastructure.of("embedded", null, null, null)) {
            URI redis = URI.create(infra.redisUrl());
            port = redis.getPort();
            assertTrue(DemoInfrastructure.answersPing(redis.getHost(), port), infra.redisSource());
            assertTrue(infra.s3Source().startsWith("in-process S3Proxy"), infra.s3Source());
            assertTrue(infra.s3Options().contains("s3PathStyle=true"));
        }
        assertFalse(DemoInfrastructure.answersPing("127.0.0.1", port), "the embedded Redis is stopped on close");
    }
}
