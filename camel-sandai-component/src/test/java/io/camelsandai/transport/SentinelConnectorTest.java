package io.camelsandai.transport;

import java.time.Duration;

import io.camelsandai.testsupport.SentinelCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * {@link RedisConnector} on a {@code sentinel://} URL against real sentinels: connections go to the master the
 * sentinels name, and after a clean {@code SENTINEL FAILOVER} (the old master stays up as a replica) a pooled
 * connection left on it is replaced when borrowed, and a new dedicated connection goes to the new master.
 */
class SentinelConnectorTest {
    @RegisterExtension
    static final SentinelCluster sentinel = SentinelCluster.builder().withPassword("m+pw").build();

    @Test
    void connectionsFollowAManualFailover() {
        RedisUrl url = RedisUrl.parse(sentinel.url(3)).withSentinel(sentinel.masterName(), null, false);
        RedisConnector connector = new RedisConnector(url, null, Duration.ofSeconds(2));
        int first = sentinel.masterPort();
        try (JedisPool pool = connector.pool("sentinel-test", 2, Duration.ofSeconds(5))) {
            try (Jedis j = pool.getResource()) {
                assertEquals(first, j.getConnection().getHostAndPort().getPort());
                assertEquals("OK", j.set("k", "v"));
                assertEquals("3", j.clientInfo().replaceAll("(?s).*\\bdb=(\\d+).*", "$1"), "the URL's db");
            } // back in the pool, idle, on the first master
            int old = sentinel.manualFailover();
            sentinel.awaitNewMaster(old, Duration.ofSeconds(30));
            int promoted = sentinel.masterPort();
            assertNotEquals(first, promoted);
            // The known master is refreshed at most once a second: let that second pass, then one borrow must give
            // a connection to the new master that works at once (the idle one on the old master is dropped).
            await().pollDelay(SentinelMasterResolver.RECHECK.plusMillis(200)).atMost(Duration.ofSeconds(5))
                    .until(() -> true);
            try (Jedis j = pool.getResource()) {
                assertEquals(promoted, j.getConnection().getHostAndPort().getPort());
                assertEquals("v", j.get("k"));
                assertEquals("OK", j.set("k2", "v2"), "writable: this is the master");
            }
        }
        try (Jedis dedicated = connector.open("sentinel-test-dedicated", 2000)) {
            assertEquals(sentinel.masterPort(), dedicated.getConnection().getHostAndPort().getPort());
            assertEquals("v2", dedicated.get("k2"));
        }
    }
}
