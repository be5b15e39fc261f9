package io.camelsandai.client;

import java.util.List;
import java.util.Map;

import io.camelsandai.model.OperatorRequest;
import io.camelsandai.testsupport.RedisServerExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared by the AUTH, ACL and TLS tests: a task sent through the client arrives on its queue. */
final class SecuredRedisAssertions {
    private SecuredRedisAssertions() {
    }

    static void sendsOneTask(OperatorClient client, RedisServerExtension redis, String queue) {
        client.submit(OperatorRequest.of(List.of(), Map.of()), CallOptions.DEFAULTS);
        try (var admin = redis.newJedis()) {
            assertEquals(1L, admin.llen(queue));
        }
    }
}
