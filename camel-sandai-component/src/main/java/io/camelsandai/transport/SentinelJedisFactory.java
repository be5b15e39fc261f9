package io.camelsandai.transport;

import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisFactory;

/**
 * Pooled connections to the master named by the sentinels. Each new connection asks the sentinels; a pooled one
 * whose master is no longer the master (a failover happened while it sat in the pool, or it met {@code READONLY})
 * fails validation on its next borrow and is replaced by one to the new master. That is what redis-py's
 * {@code SentinelConnectionPool} achieves by disconnecting on {@code READONLY}.
 */
final class SentinelJedisFactory extends JedisFactory {
    private final SentinelMasterResolver resolver;
    private final JedisClientConfig masterConfig;

    SentinelJedisFactory(SentinelMasterResolver resolver, JedisClientConfig masterConfig) {
        // Not a DefaultJedisSocketFactory: JedisFactory then skips its own fixed host check and only pings.
        super(() -> {
            throw new IllegalStateException("connections are made by makeObject");
        }, masterConfig);
        this.resolver = resolver;
        this.masterConfig = masterConfig;
    }

    @Override
    public PooledObject<Jedis> makeObject() {
        return new DefaultPooledObject<>(new Jedis(new SentinelSocketFactory(resolver, masterConfig), masterConfig));
    }

    /** Cheap: compares with the master known within the last second; no PING, so borrowing stays one round trip. */
    @Override
    public boolean validateObject(PooledObject<Jedis> pooled) {
        Jedis jedis = pooled.getObject();
        if (!jedis.isConnected() || jedis.isBroken()) {
            return false;
        }
        if (pooled.getLastReturnInstant().equals(pooled.getCreateInstant())) {
            // Never used: it was connected just now to the master the sentinels named. Failing it here would surface
            // as "no connection free in time" (commons-pool reports a failed validation of a new object that way).
            return true;
        }
        HostAndPort master = resolver.recent();
        return master == null || master.equals(jedis.getConnection().getHostAndPort());
    }
}
