package io.camelsandai.transport;

import java.time.Duration;
import java.util.List;

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

    @Test
    void plusStaysPlusAndPercentEscapesAreDecodedAsUnquoteDoes() {
        RedisUrl url = RedisUrl.parse("redis://a+b:p+q%2B%25%40%2F%3A@h");
        assertEquals("a+b", url.user());
        assertEquals("p+q+%@/:", url.password());
        assertEquals("100%", RedisUrl.parse("redis://:100%@h").password(), "a bare % is kept as written");
        assertEquals("p@ss", RedisUrl.parse("redis://u:p@ss@h").password(), "the user info ends at the last @");
    }

    @Test
    void sentinelUrlNamesEverySentinelAndTakesTheMasterAuthAndDbFromTheFirstPart() {
        RedisUrl url = RedisUrl.parse("sentinel://:m%2Bpw@s1:26380;sentinel://s2;sentinel://[::1]:3/9/");
        assertTrue(url.isSentinel());
        assertEquals(List.of(new RedisUrl.Node("s1", 26380), new RedisUrl.Node("s2", 26379),
                new RedisUrl.Node("::1", 3)), url.sentinels());
        assertEquals("m+pw", url.password());
        assertNull(url.user());
        assertEquals(0, url.database(), "kombu and Celery take the db of the first part only");
        assertEquals(4, RedisUrl.parse("sentinel://s1/4;sentinel://s2/4").database());
        assertNull(url.masterName());
        assertFalse(RedisUrl.parse("redis://h").isSentinel());
    }

    @Test
    void sentinelUrlNeedsAMasterNameAsKombuDoes() {
        RedisUrl url = RedisUrl.parse("sentinel://s1;sentinel://s2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> url.withSentinel(null, null,
                false));
        assertTrue(e.getMessage().contains("sentinelMasterName"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RedisConnector(url, null, Duration.ofSeconds(1)));
        RedisUrl named = url.withSentinel("mymaster", "sentinel-secret", true);
        assertEquals("mymaster", named.masterName());
        assertEquals("sentinel-secret", named.sentinelPassword());
        assertTrue(named.isSentinelTls());
        assertEquals(named, RedisUrl.parse("sentinel://s1;sentinel://s2").withSentinel("mymaster", "sentinel-secret",
                true));
        assertFalse(named.equals(url.withSentinel("other", "sentinel-secret", true)), "the master name is in the key");
        assertEquals(RedisUrl.parse("redis://h"), RedisUrl.parse("redis://h").withSentinel(null, "x", true),
                "sentinel options do not touch a plain URL");
        assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse("sentinel://s1;redis://s2"));
    }

    @Test
    void noSentinelOrMasterPasswordShows() {
        String text = "sentinel://u:master-secret@s1:26379;sentinel://:other-secret@s2:26379/0";
        String sanitized = RedisUrl.sanitize(text);
        assertFalse(sanitized.contains("master-secret"), sanitized);
        assertFalse(sanitized.contains("other-secret"), sanitized);
        assertTrue(sanitized.contains("s2:26379"), sanitized);
        assertFalse(RedisUrl.sanitize("redis://u:p@ss-secret@h/0").contains("ss-secret"), "raw @ in a password");
        assertFalse(RedisUrl.sanitize("sandai:a:b?brokerUrl=sentinel://:pw1@s1;sentinel://:pw2@s2&x=1")
                .matches(".*pw[12].*"));
        RedisUrl url = RedisUrl.parse(text).withSentinel("mymaster", "sentinel-secret", false);
        assertEquals("sentinel://u:***@s1:26379;sentinel://s2:26379/0 [master=mymaster, sentinel auth]",
                url.toString());
        assertFalse(url.toString().contains("secret"), url.toString());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RedisUrl.parse("sentinel://u:topsecret@s1/notanumber"));
        assertFalse(bad.getMessage().contains("topsecret"), bad.getMessage());
    }
}
