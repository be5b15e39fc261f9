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

/** PlainAuth against a real redis-server; the secret never leaks. */
class ClientAuthTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.builder().withPassword("s3cr3t-pass").build();

    @Test
    void worksWithThePasswordAndHidesIt() {
        try (OperatorClient client = OperatorClient.create("auth-op", "v1",
                OperatorSettings.builder().brokerUrl(REDIS.url()).build())) {
            SecuredRedisAssertions.sendsOneTask(client, REDIS, "normal.auth-op.v1");
            assertFalse(client.toString().contains("s3cr3t-pass"), client.toString());
        }
        String wrong = REDIS.url().replace("s3cr3t-pass", "wrong-pass");
        try (OperatorClient client = OperatorClient.create("auth-op", "v1",
                OperatorSettings.builder().brokerUrl(wrong).build())) {
            SandaiException e = assertThrows(SandaiException.class,
                    () -> client.submit(OperatorRequest.of(List.of(), Map.of()), CallOptions.DEFAULTS));
            assertFalse(e.getMessage().contains("wrong-pass"), e.getMessage());
            assertFalse(client.ping());
        }
    }
}
