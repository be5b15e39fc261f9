package io.camelsandai.transport;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.Jedis;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis URLs read by Java exactly as redis-py, kombu and Celery read them: the same URL text goes through
 * {@link RedisUrl#parse} and through the Python parsers ({@code url_oracle.py}), and, for an ACL user and password
 * made of {@code + % @ / :}, through both clients against a real redis-server.
 */
class RedisUrlPythonParityTest {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.builder().withKind(
            io.camelsandai.testsupport.RedisKind.BINARY).build();
    @RegisterExtension
    static final PythonCelery python = PythonCelery.create();

    private static final ObjectMapper JSON = new ObjectMapper();

    static final List<String> REDIS_URLS = List.of(
            "redis://us+er:p%40ss+word%25@Host:6380/3",
            "redis://:pa%2Bss+x@h",
            "redis://u:p@ss@h/1",                 // the user info ends at the last '@'
            "redis://u%3Aser:pw%3A%2F@h:1/0",
            "redis://u:caf%C3%A9%ZZ@h",           // UTF-8 escapes decoded, a malformed one kept as written
            "rediss://u:pw@h:6390/15");

    static final List<String> SENTINEL_URLS = List.of(
            "sentinel://:pa+ss%40@h1:26380;sentinel://h2/2", // only the first part's auth and db count
            "sentinel://h1:1/4;sentinel://h2:2/4;sentinel://h3:3/4",
            "sentinel://us%2Ber:pw@h1:5/1");

    private JsonNode oracle(List<String> urls) throws Exception {
        return python.runScript("url_oracle.py", List.of("parse", JSON.writeValueAsString(urls)), Map.of(),
                Duration.ofSeconds(60)).assertSuccess().jsonLines().get(0);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    @Test
    void redisUrlsAreDecodedAsRedisPyDecodesThem() throws Exception {
        JsonNode out = oracle(REDIS_URLS);
        for (int i = 0; i < REDIS_URLS.size(); i++) {
            String url = REDIS_URLS.get(i);
            RedisUrl java = RedisUrl.parse(url);
            JsonNode py = out.get(i).get("redis_py");
            assertEquals(text(py.get("username")), java.user(), "user of " + url);
            assertEquals(text(py.get("password")), java.password(), "password of " + url);
            assertEquals(py.get("host").asText(), java.host(), "host of " + url);
            assertEquals(py.get("port").isNull() ? 6379 : py.get("port").asInt(), java.port(), "port of " + url);
            assertEquals(py.get("db").asInt(), java.database(), "db of " + url);
        }
    }

    @Test
    void sentinelUrlsAreSplitAsKombuAndCelerySplitThem() throws Exception {
        JsonNode out = oracle(SENTINEL_URLS);
        for (int i = 0; i < SENTINEL_URLS.size(); i++) {
            String url = SENTINEL_URLS.get(i);
            RedisUrl java = RedisUrl.parse(url);
            JsonNode kombu = out.get(i).get("kombu");
            JsonNode celery = out.get(i).get("celery");
            List<String> expected = new java.util.ArrayList<>();
            kombu.get("sentinels").forEach(s -> expected.add(s.get(0).asText() + ":" + s.get(1).asInt()));
            assertEquals(expected, java.sentinels().stream().map(RedisUrl.Node::toString).toList(),
                    "sentinels of " + url);
            assertEquals(text(kombu.get("password")), java.password(), "master password of " + url);
            assertEquals(text(kombu.get("username")), java.user(), "master user of " + url);
            assertEquals(kombu.get("db").asInt(), java.database(), "db of " + url);
            // Celery's result backend takes the same password and db from the first part.
            assertEquals(text(celery.get("password")), java.password(), "backend password of " + url);
            assertEquals(celery.get("db").asInt(), java.database(), "backend db of " + url);
        }
    }

    @Test
    void aclUserAndPasswordWithPlusPercentAtSlashColonWorkFromJavaAndRedisPy() throws Exception {
        String user = "us+er%@/:x";
        String password = "p+w%@/:d";
        try (Jedis admin = redis.newJedis()) {
            admin.aclSetUser(user, "on", ">" + password, "~*", "&*", "+@all");
        }
        // '+' stays raw (it is a '+' for redis-py), '@' raw in the password (the user info ends at the last '@'),
        // the rest percent-encoded as a URL needs.
        String url = "redis://us+er%25%40%2F%3Ax:p+w%25@%2F%3Ad@127.0.0.1:" + redis.port() + "/0";
        RedisUrl parsed = RedisUrl.parse(url);
        assertEquals(user, parsed.user());
        assertEquals(password, parsed.password());
        try (Jedis jedis = new RedisConnector(parsed, null, Duration.ofSeconds(5)).open("parity", 5000)) {
            assertEquals(user, jedis.aclWhoAmI(), "Java logged in as the ACL user");
        }
        JsonNode py = python.runScript("url_oracle.py", List.of("whoami", url), Map.of(), Duration.ofSeconds(60))
                .assertSuccess().jsonLines().get(0);
        assertEquals(user, py.get("whoami").asText(), "redis-py logged in as the same ACL user from the same URL");
    }
}
