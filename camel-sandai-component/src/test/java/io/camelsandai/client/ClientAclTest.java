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

/** AclUser against a real redis-server; the secret never leaks. */
class ClientAclTest {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.builder().withAclUser("sandai", "acl-pass")
            .build();

    @Test
    void worksAsAnAclUser() {
        assertTrue(REDIS.url().contains("sandai:"), "the URL names the ACL user");
        try (OperatorClient client = OperatorClient.create("acl-op", "v1",
                OperatorSettings.builder().brokerUrl(REDIS.url()).build())) {
            SecuredRedisAssertions.sendsOneTask(client, REDIS, "normal.acl-op.v1");
        }
    }
}
