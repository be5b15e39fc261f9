package io.camelsandai.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Asks the sentinels of a {@code sentinel://} URL where the master is ({@code SENTINEL get-master-addr-by-name}),
 * the way redis-py's {@code Sentinel.discover_master} does for kombu: sentinels are asked in turn, the first that
 * knows the master answers, and it is moved to the front so that the next question goes to it first.
 *
 * <p>Every new connection asks ({@link #resolve()}): that is what makes clients and workers follow a failover without
 * a restart. Pooled connections are checked against {@link #recent()}, which asks at most once a second, so that a
 * connection still open to a demoted master is dropped when it is next borrowed.
 */
final class SentinelMasterResolver {
    private static final Logger LOG = LoggerFactory.getLogger(SentinelMasterResolver.class);
    /** How old the known master may be when a pooled connection is checked against it. */
    static final Duration RECHECK = Duration.ofSeconds(1);

    private final String masterName;
    private final JedisClientConfig sentinelConfig;
    private final String description;
    private volatile List<HostAndPort> sentinels;
    private volatile HostAndPort current;
    private volatile long resolvedAtNanos;
    private final AtomicBoolean refreshing = new AtomicBoolean();

    SentinelMasterResolver(RedisUrl url, JedisClientConfig sentinelConfig) {
        this.masterName = url.masterName();
        this.sentinelConfig = sentinelConfig;
        this.description = url.toString(); // sanitized
        List<HostAndPort> nodes = new ArrayList<>();
        for (RedisUrl.Node n : url.sentinels()) {
            nodes.add(new HostAndPort(n.host(), n.port()));
        }
        this.sentinels = List.copyOf(nodes);
    }

    /**
     * The master's address, asked now.
     *
     * @throws JedisConnectionException when no sentinel answers with an address (so callers treat it as Redis being
     *                                  away, the same as a refused connection)
     */
    HostAndPort resolve() {
        List<HostAndPort> order = sentinels;
        JedisException last = null;
        for (HostAndPort sentinel : order) {
            try (Jedis jedis = new Jedis(sentinel, sentinelConfig)) {
                List<String> addr = jedis.sentinelGetMasterAddrByName(masterName);
                if (addr != null && addr.size() == 2 && addr.get(0) != null) {
                    HostAndPort master = new HostAndPort(addr.get(0), Integer.parseInt(addr.get(1)));
                    remember(master, sentinel, order);
                    return master;
                }
            } catch (JedisException e) {
                last = e;
            }
        }
        String why = last == null ? "none knows the master" : last.getClass().getSimpleName() + ": " + last.getMessage();
        throw new JedisConnectionException("No sentinel of " + description + " gave the address of master '"
                                           + masterName + "' (" + why + ")", last);
    }

    private void remember(HostAndPort master, HostAndPort answered, List<HostAndPort> order) {
        HostAndPort before = current;
        current = master;
        resolvedAtNanos = System.nanoTime();
        if (before != null && !before.equals(master)) {
            LOG.warn("Redis master '{}' moved from {} to {} (failover)", masterName, before, master);
        }
        if (!order.get(0).equals(answered)) {
            List<HostAndPort> reordered = new ArrayList<>(order.size());
            reordered.add(answered);
            for (HostAndPort s : order) {
                if (!s.equals(answered)) {
                    reordered.add(s);
                }
            }
            sentinels = List.copyOf(reordered);
        }
    }

    /**
     * The master as known within the last {@link #RECHECK}; asks the sentinels when older (one thread at a time, the
     * others keep the last answer). Null only when no sentinel has ever answered.
     */
    HostAndPort recent() {
        HostAndPort known = current;
        if (known != null && System.nanoTime() - resolvedAtNanos < RECHECK.toNanos()) {
            return known;
        }
        if (!refreshing.compareAndSet(false, true)) {
            return known;
        }
        try {
            return resolve();
        } catch (JedisException e) {
            // The sentinels are away too: keep using what we knew rather than dropping every connection.
            return known;
        } finally {
            refreshing.set(false);
        }
    }
}
