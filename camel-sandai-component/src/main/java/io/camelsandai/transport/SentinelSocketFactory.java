package io.camelsandai.transport;

import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * The socket of one connection to the current master: asks the sentinels each time it connects (also when Jedis
 * reconnects a broken connection), and remembers where it went so that {@code Connection.getHostAndPort()} tells
 * which master a pooled connection belongs to. One instance per connection.
 */
final class SentinelSocketFactory extends DefaultJedisSocketFactory {
    private final SentinelMasterResolver resolver;

    SentinelSocketFactory(SentinelMasterResolver resolver, JedisClientConfig masterConfig) {
        super(null, masterConfig);
        this.resolver = resolver;
    }

    @Override
    protected HostAndPort getSocketHostAndPort() {
        HostAndPort master = resolver.resolve();
        updateHostAndPort(master);
        return master;
    }
}
