package io.camelsandai.transport;

import java.time.Duration;
import java.util.NoSuchElementException;

import io.camelsandai.model.ClientPoolTimeoutException;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Opens Redis connections for one URL. Every connection carries a {@code CLIENT SETNAME} so that operators can count
 * ours with {@code CLIENT LIST}.
 *
 * <p>For a {@code sentinel://} URL every new connection, pooled or dedicated, goes to the master the sentinels name at
 * that moment ({@link SentinelMasterResolver}), and pooled connections left on a demoted master are replaced when
 * borrowed ({@link SentinelJedisFactory}). Like kombu, only the master is used: never a replica.
 */
public final class RedisConnector {
    private final RedisUrl url;
    private final TlsSettings tls;
    private final Duration connectTimeout;
    private final SentinelMasterResolver sentinels;

    public RedisConnector(RedisUrl url, TlsSettings tls, Duration connectTimeout) {
        this.url = url;
        this.tls = tls == null ? TlsSettings.DEFAULT : tls;
        this.connectTimeout = connectTimeout;
        if (url.isSentinel()) {
            if (url.masterName() == null) {
                throw new IllegalArgumentException("A sentinel:// URL needs the master name (option sentinelMasterName, "
                                                   + "kombu's master_name transport option): " + url);
            }
            this.sentinels = new SentinelMasterResolver(url, sentinelConfig());
        } else {
            this.sentinels = null;
        }
    }

    /**
     * The sentinels' own connections (kombu's {@code sentinel_kwargs}): their password, TLS when asked, and the
     * connect timeout as read timeout so that a hung sentinel costs one timeout, not a stuck connect.
     */
    private JedisClientConfig sentinelConfig() {
        int timeout = (int) connectTimeout.toMillis();
        // No CLIENT SETNAME: these connections live for one question, and older sentinels refuse CLIENT commands.
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout)
                .socketTimeoutMillis(timeout)
                .resp2();
        if (url.sentinelPassword() != null) {
            b.password(url.sentinelPassword());
        }
        if (url.isSentinelTls()) {
            b.ssl(true).sslSocketFactory(tls.socketFactory()).sslParameters(tls.sslParameters());
        }
        return b.build();
    }

    public RedisUrl url() {
        return url;
    }

    private JedisClientConfig config(String clientName, int socketTimeoutMillis) {
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .clientName(clientName)
                .database(url.database())
                .connectionTimeoutMillis((int) connectTimeout.toMillis())
                .socketTimeoutMillis(socketTimeoutMillis)
                .resp2();
        if (url.password() != null) {
            b.password(url.password());
        }
        if (url.user() != null) {
            b.user(url.user());
        }
        if (url.isTls() || url.isSentinelTls()) {
            b.ssl(true).sslSocketFactory(tls.socketFactory()).sslParameters(tls.sslParameters());
        }
        return b.build();
    }

    /**
     * A bounded pool: at most {@code maxConnections} open at once, idle ones closed after a while, and a caller that
     * finds none free within {@code acquireTimeout} gets a {@link ClientPoolTimeoutException}.
     */
    public JedisPool pool(String clientName, int maxConnections, Duration acquireTimeout) {
        GenericObjectPoolConfig<Jedis> cfg = new GenericObjectPoolConfig<>();
        cfg.setMaxTotal(maxConnections);
        cfg.setMaxIdle(maxConnections);
        cfg.setMinIdle(0);
        cfg.setBlockWhenExhausted(true);
        cfg.setMaxWait(acquireTimeout);
        cfg.setTestOnBorrow(false);
        cfg.setTestWhileIdle(true);
        cfg.setTimeBetweenEvictionRuns(Duration.ofSeconds(10));
        cfg.setMinEvictableIdleDuration(Duration.ofSeconds(30));
        cfg.setJmxEnabled(false);
        if (sentinels != null) {
            // Validation on borrow is only a comparison with the master known in the last second (no PING).
            cfg.setTestOnBorrow(true);
            return new JedisPool(cfg, new SentinelJedisFactory(sentinels, config(clientName, 10_000)));
        }
        return new JedisPool(cfg, new HostAndPort(url.host(), url.port()), config(clientName, 10_000));
    }

    /** One connection outside any pool, for blocking commands and SUBSCRIBE; 0 = no read timeout. */
    public Jedis open(String clientName, int socketTimeoutMillis) {
        if (sentinels != null) {
            JedisClientConfig config = config(clientName, socketTimeoutMillis);
            return new Jedis(new SentinelSocketFactory(sentinels, config), config);
        }
        return new Jedis(new HostAndPort(url.host(), url.port()), config(clientName, socketTimeoutMillis));
    }

    /**
     * Borrows from a pool, mapping "none free in time" to {@link ClientPoolTimeoutException}. Connection failures
     * stay {@link redis.clients.jedis.exceptions.JedisConnectionException}.
     */
    public static Jedis borrow(JedisPool pool, String what, Duration acquireTimeout) {
        try {
            return pool.getResource();
        } catch (JedisException e) {
            // Jedis wraps both "none free in time" and "could not connect" in the same JedisException.
            if (e.getCause() instanceof NoSuchElementException) {
                throw new ClientPoolTimeoutException(what, acquireTimeout);
            }
            if (e.getCause() instanceof JedisException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
