package io.camelsandai.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.UUID;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** Proves the Redis the other tests rely on: real, private, stoppable, and secured when asked. */
class RedisServerExtensionTest {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.create();

    @Test
    void answersPingAndKeepsData() {
        try (Jedis jedis = redis.newJedis()) {
            assertEquals("PONG", jedis.ping());
            jedis.set("k", "v");
            assertEquals("v", jedis.get("k"));
        }
        assertTrue(redis.url().matches("redis://[^@]+:\\d+/0"), redis.url());
        assertTrue(redis.url(3).endsWith(":" + redis.port() + "/3"), redis.url(3));
        redis.flushAll();
        try (Jedis jedis = redis.newJedis()) {
            assertNull(jedis.get("k"));
        }
    }

    @Test
    void neverTheSharedDevelopmentRedis() {
        assumeTrue(redis.kind() != RedisKind.EXTERNAL, "an external Redis was requested explicitly");
        assertTrue(redis.port() != 6379, "tests must not use the Redis on 6379");
    }

    @Test
    void stopRefusesConnectionsAndStartComesBackOnTheSamePort() throws Exception {
        assumeTrue(redis.supportsRestart(), "external Redis cannot be restarted");
        int port = redis.port();

        redis.stop();
        assertFalse(redis.isRunning());
        JedisConnectionException refused = assertThrows(JedisConnectionException.class, () -> {
            try (Jedis jedis = redis.newJedis()) {
                jedis.ping();
            }
        });
        assertTrue(hasCause(refused, ConnectException.class), "expected connection refused, got " + refused);
        assertThrows(ConnectException.class, () -> new Socket().connect(new InetSocketAddress(redis.host(), port), 1000));

        redis.start();
        assertTrue(redis.isRunning());
        assertEquals(port, redis.port());
        try (Jedis jedis = redis.newJedis()) {
            assertEquals("PONG", jedis.ping());
        }
    }

    @Test
    void restartedForTheNextTestIfLeftStopped() {
        // Runs in any order relative to the stop test: either way the server must be up here.
        try (Jedis jedis = redis.newJedis()) {
            assertEquals("PONG", jedis.ping());
        }
    }

    /** Jedis reports the refused connect as a cause or, per resolved address, as a suppressed exception. */
    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        if (t == null) {
            return false;
        }
        if (type.isInstance(t)) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (hasCause(suppressed, type)) {
                return true;
            }
        }
        return hasCause(t.getCause(), type);
    }

    @Nested
    class WithPassword {

        @RegisterExtension
        static final RedisServerExtension secured = RedisServerExtension.builder().withPassword("s3cret").build();

        @Test
        void requiresThePassword() {
            assertEquals(RedisKind.BINARY, secured.kind());
            assertTrue(secured.url().startsWith("redis://:s3cret@127.0.0.1:"), secured.url());
            try (Jedis jedis = secured.newJedis()) {
                assertEquals("PONG", jedis.ping());
            }
            try (Jedis anonymous = new Jedis(new HostAndPort(secured.host(), secured.port()),
                    DefaultJedisClientConfig.builder().build())) {
                JedisDataException e = assertThrows(JedisDataException.class, anonymous::ping);
                assertTrue(e.getMessage().startsWith("NOAUTH"), e.getMessage());
            }
            // Jedis authenticates while connecting, so the constructor is what fails.
            assertThrows(JedisAccessControlException.class, () -> new Jedis(
                    new HostAndPort(secured.host(), secured.port()),
                    DefaultJedisClientConfig.builder().password("nope").build()).close());
        }
    }

    @Nested
    class WithAclUser {

        @RegisterExtension
        static final RedisServerExtension acl = RedisServerExtension.builder().withAclUser("sandai", "pw-1").build();

        @Test
        void userHasFullAccessAndDefaultUserIsOff() {
            assertTrue(acl.url().startsWith("redis://sandai:pw-1@127.0.0.1:"), acl.url());
            try (Jedis jedis = acl.newJedis()) {
                assertEquals("sandai", jedis.aclWhoAmI());
                jedis.set("a", "1");
                // +@all really is all: a dangerous admin command and another database work too.
                assertEquals("OK", jedis.flushAll());
                assertEquals("OK", jedis.select(2));
            }
            try (Jedis anonymous = new Jedis(new HostAndPort(acl.host(), acl.port()),
                    DefaultJedisClientConfig.builder().build())) {
                assertThrows(JedisDataException.class, anonymous::ping);
            }
        }
    }

    @Nested
    class WithTls {

        @RegisterExtension
        static final RedisServerExtension tls = RedisServerExtension.builder().withTls().build();

        @Test
        void jedisOverTlsWithTheGeneratedTruststore() throws Exception {
            assertTrue(tls.url().startsWith("rediss://127.0.0.1:" + tls.port()), tls.url());
            assertTrue(Files.readString(tls.caCertPath()).startsWith("-----BEGIN CERTIFICATE-----"));

            // Built from the published truststore path + password only, as a Java client would.
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(tls.truststorePath())) {
                trust.load(in, tls.truststorePassword().toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            SSLSocketFactory factory = context.getSocketFactory();
            SSLParameters verifyHost = new SSLParameters();
            verifyHost.setEndpointIdentificationAlgorithm("HTTPS");

            try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", tls.port()), DefaultJedisClientConfig.builder()
                    .ssl(true).sslSocketFactory(factory).sslParameters(verifyHost).build())) {
                String value = UUID.randomUUID().toString();
                jedis.set("tls", value);
                assertEquals(value, jedis.get("tls"));
            }
        }

        @Test
        void plainTextAndUntrustedClientsAreRejected() {
            // Constructor and ping both inside: Jedis may talk to the server while connecting.
            assertThrows(JedisConnectionException.class, () -> {
                try (Jedis plain = new Jedis(new HostAndPort("127.0.0.1", tls.port()),
                        DefaultJedisClientConfig.builder().timeoutMillis(2000).build())) {
                    plain.ping();
                }
            });
            // The JVM default truststore does not know our CA: the handshake must fail.
            JedisConnectionException untrusted = assertThrows(JedisConnectionException.class, () -> {
                try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", tls.port()),
                        DefaultJedisClientConfig.builder().ssl(true).timeoutMillis(2000).build())) {
                    jedis.ping();
                }
            });
            assertTrue(hasCause(untrusted, javax.net.ssl.SSLHandshakeException.class), untrusted.toString());
        }
    }
}
