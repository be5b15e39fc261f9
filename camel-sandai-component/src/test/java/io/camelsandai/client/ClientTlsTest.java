package io.camelsandai.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.SandaiException;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.transport.TlsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tls against a real redis-server; the secret never leaks. */
class ClientTlsTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.builder().withTls().build();

    @Test
    void worksOverTlsWithTheGeneratedTruststore() {
        TlsSettings tls = new TlsSettings(REDIS.truststorePath().toString(), REDIS.truststorePassword(), null, null,
                true);
        try (OperatorClient client = OperatorClient.create("tls-op", "v1", OperatorSettings.builder()
                .brokerUrl(REDIS.url()).tls(tls).connectTimeout(Duration.ofSeconds(5)).build())) {
            assertTrue(REDIS.url().startsWith("rediss://"));
            SecuredRedisAssertions.sendsOneTask(client, REDIS, "normal.tls-op.v1");
            assertFalse(tls.toString().contains(REDIS.truststorePassword()));
        }
    }
}

