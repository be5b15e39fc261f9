package io.camelsandai.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisUrlTest {
    @Test
    void parsesAclUserPasswordAndDatabase() {
        RedisUrl url = RedisUrl.parse("redis://worker:s%40cret@redis.example:6380/3");
        assertEquals("worker", url.user());
        assertEquals("s@cret", url.password());
        assertEquals("redis.example", url.host());
        assertEquals(6380, url.port());
        assertEquals(3, url.database());
        assertFalse(url.isTls());
    }

    @Test
    void passwordOnlyFormsUsePlainAuth() {
        assertNull(RedisUrl.parse("redis://:hunter2@h").user());
        assertEquals("hunter2", RedisUrl.parse("redis://:hunter2@h").password());
        assertEquals("hunter2", RedisUrl.parse("redis://hunter2@h").password());
        assertEquals(6379, RedisUrl.parse("rediss://h").port());
        assertTrue(RedisUrl.parse("rediss://h").isTls());
    }

    @Test
    void passwordNeverShows() {
        RedisUrl url = RedisUrl.parse("redis://worker:topsecret@h:1/0");
        assertEquals("redis://worker:***@h:1/0", url.toString());
        assertFalse(RedisUrl.sanitize("redis://worker:topsecret@h:1/0").contains("topsecret"));
        assertFalse(RedisUrl.sanitize("redis://:topsecret@h").contains("topsecret"));
        assertFalse(RedisUrl.sanitize("redis://topsecret@h").contains("topsecret"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RedisUrl.parse("redis://worker:topsecret@h:1/notanumber"));
        assertFalse(bad.getMessage().contains("topsecret"), bad.getMessage());
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> RedisUrl.parse("http://worker:topsecret@h"));
        assertFalse(scheme.getMessage().contains("topsecret"), scheme.getMessage());
    }
}
