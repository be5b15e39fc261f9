package io.camelsandai.testsupport;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLParameters;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * A private, real Redis per test class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServerExtension redis = RedisServerExtension.create();
 * // or RedisServerExtension.builder().withPassword("pw").withTls().build();
 * }</pre>
 *
 * <p>The server is chosen in this order: {@code SANDAI_TEST_REDIS_URL} if set (shared, cannot be
 * stopped: {@link #supportsRestart()} is false); Testcontainers {@code redis:7} if a Docker engine
 * answers; the {@code redis-server} binary on PATH; the embedded-redis binary. Password, ACL user and
 * TLS need the binary (the test class is skipped by an assumption otherwise).
 * {@code SANDAI_TEST_REDIS_KIND=binary|container|embedded} (or {@link Builder#withKind}) forces one.
 *
 * <p>Lifecycle: started in {@code beforeAll} (or {@code beforeEach} when registered on an instance
 * field), shut down in the matching {@code afterAll}/{@code afterEach}. If a test stopped the server
 * and did not restart it, it is restarted before the next test so tests stay independent. Outside
 * JUnit, {@link #start()} and {@link #close()} do the same by hand.
 */
public final class RedisServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {

    /** Use this Redis instead of starting one (e.g. {@code redis://ci-redis:6379/0}). */
    public static final String ENV_URL = "SANDAI_TEST_REDIS_URL";
    /** Force a kind: {@code binary}, {@code container} or {@code embedded}. */
    public static final String ENV_KIND = "SANDAI_TEST_REDIS_KIND";

    private static final Logger LOG = LoggerFactory.getLogger(RedisServerExtension.class);
    private static final Duration POLL = Duration.ofMillis(25);

    private final RedisSettings settings;
    private RedisBackend backend;
    private TlsMaterial tls;
    private Path workDir;
    /** Unique id of the JUnit context that started the server; only that context's "after" stops it. */
    private String ownerContext;

    private RedisServerExtension(RedisSettings settings) {
        this.settings = settings;
    }

    /** Plain Redis, no auth, no TLS. */
    public static RedisServerExtension create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- JUnit callbacks

    @Override
    public void beforeAll(ExtensionContext context) {
        startFor(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopFor(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (backend == null) {
            startFor(context);
        } else if (!backend.isRunning() && backend.supportsRestart()) {
            LOG.info("Redis was left stopped by a previous test; restarting it on port {}", port());
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopFor(context);
    }

    private synchronized void startFor(ExtensionContext context) {
        if (backend == null) {
            start();
            ownerContext = context.getUniqueId();
        }
    }

    private synchronized void stopFor(ExtensionContext context) {
        if (context.getUniqueId().equals(ownerContext)) {
            close();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts the server: the first time, chooses the kind and a free port; after {@link #stop()},
     * restarts it on the SAME port (data may be gone). Returns once it answers PING.
     */
    public synchronized void start() {
        if (backend == null) {
            backend = chooseBackend();
            LOG.info("Test Redis: {} on {}:{}", backend.kind(), backend.host(), backend.port());
        }
        try {
            backend.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + backend.kind() + " Redis\n" + backend.diagnostics(), e);
        }
        awaitReady();
    }

    /** Stops the server: afterwards connections to {@link #port()} are refused. */
    public synchronized void stop() {
        requireStarted();
        if (!backend.supportsRestart()) {
            throw new UnsupportedOperationException(backend.kind() + " Redis cannot be stopped;"
                    + " guard the test with assumeTrue(redis.supportsRestart())");
        }
        try {
            backend.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop " + backend.kind() + " Redis", e);
        }
    }

    /**
     * Like {@link #stop()} but with SIGKILL where we own the process (BINARY): a crash, not a shutdown.
     * Other kinds fall back to {@link #stop()}.
     */
    public synchronized void kill() {
        requireStarted();
        if (backend instanceof BinaryRedisBackend binary) {
            binary.kill();
        } else {
            stop();
        }
    }

    /**
     * SIGSTOP: the process keeps its sockets but answers nothing, as a Redis stalled by a VM pause or a long fork
     * would; clients see timeouts, not refused connections. BINARY only.
     */
    public synchronized void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        requireStarted();
        if (!(backend instanceof BinaryRedisBackend binary)) {
            throw new UnsupportedOperationException("pause/resume need the redis-server binary (BINARY kind)");
        }
        binary.signal(name);
    }

    public synchronized boolean isRunning() {
        return backend != null && backend.isRunning();
    }

    /** False for {@link RedisKind#EXTERNAL}: {@link #stop()} / {@link #start()} cannot be used. */
    public boolean supportsRestart() {
        requireStarted();
        return backend.supportsRestart();
    }

    /** Shuts the server down for good and removes its temp files. */
    @Override
    public synchronized void close() {
        if (backend != null) {
            backend.close();
            backend = null;
            ownerContext = null;
        }
        RedisFiles.deleteQuietly(workDir);
        workDir = null;
        tls = null;
    }

    // ---------------------------------------------------------------- connection details

    public RedisKind kind() {
        requireStarted();
        return backend.kind();
    }

    public String host() {
        requireStarted();
        return backend.host();
    }

    public int port() {
        requireStarted();
        return backend.port();
    }

    /** {@code redis://[user:pw@]host:port/0}, {@code rediss://} with TLS. */
    public String url() {
        return url(0);
    }

    /** The URL for database {@code db}. Credentials are percent-encoded; a password alone gives {@code :pw@}. */
    public String url(int db) {
        requireStarted();
        if (backend instanceof ExternalRedisBackend external) {
            URI uri = external.uri();
            String userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
            return uri.getScheme() + "://" + userInfo + host() + ":" + port() + "/" + db;
        }
        String user = settings.clientUser();
        String password = settings.clientPassword();
        String userInfo = password == null ? "" : (user == null ? "" : encode(user)) + ":" + encode(password) + "@";
        return (isTls() ? "rediss" : "redis") + "://" + userInfo + host() + ":" + port() + "/" + db;
    }

    public boolean isTls() {
        return tls != null || (backend instanceof ExternalRedisBackend e && "rediss".equals(e.uri().getScheme()));
    }

    /** The ACL user our clients use, or null (default user). */
    public String user() {
        return settings.clientUser();
    }

    /** The password our clients use (ACL user's, else requirepass), or null. */
    public String password() {
        return settings.clientPassword();
    }

    /** Generated TLS files and SSL context; empty unless built {@link Builder#withTls()}. */
    public Optional<TlsMaterial> tls() {
        return Optional.ofNullable(tls);
    }

    /** PKCS12 truststore trusting the generated CA (TLS only). */
    public Path truststorePath() {
        return requireTls().truststore();
    }

    public String truststorePassword() {
        return requireTls().truststorePassword();
    }

    /** CA certificate PEM (TLS only), e.g. for Python's {@code ssl_ca_certs}. */
    public Path caCertPath() {
        return requireTls().caCertPem();
    }

    /** The redis-server log file (BINARY only). */
    public Optional<Path> logFile() {
        return backend instanceof BinaryRedisBackend binary ? Optional.of(binary.logFile()) : Optional.empty();
    }

    // ---------------------------------------------------------------- clients

    /** Jedis client settings matching this server (auth, TLS with the generated truststore, db 0). */
    public JedisClientConfig clientConfig() {
        return clientConfig(0);
    }

    public JedisClientConfig clientConfig(int db) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                // The Jedis class speaks RESP2 only; saying so avoids a warning per connection.
                .autoNegotiateProtocol(false)
                .database(db)
                .timeoutMillis(5_000)
                .user(settings.clientUser())
                .password(settings.clientPassword());
        if (backend instanceof ExternalRedisBackend external) {
            URI uri = external.uri();
            if (uri.getUserInfo() != null) {
                String[] parts = uri.getUserInfo().split(":", 2);
                config.user(parts.length == 2 && !parts[0].isEmpty() ? parts[0] : null)
                        .password(parts.length == 2 ? parts[1] : parts[0]);
            }
            config.ssl(isTls());
        } else if (tls != null) {
            // Hostname verification on: the generated certificate must really match 127.0.0.1.
            SSLParameters parameters = new SSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            config.ssl(true).sslSocketFactory(tls.sslSocketFactory()).sslParameters(parameters);
        }
        return config.build();
    }

    /** A new connected client on db 0; the caller closes it. */
    public Jedis newJedis() {
        return newJedis(0);
    }

    public Jedis newJedis(int db) {
        return new Jedis(new HostAndPort(host(), port()), clientConfig(db));
    }

    /** FLUSHALL: every database emptied. */
    public void flushAll() {
        try (Jedis jedis = newJedis()) {
            jedis.flushAll();
        }
    }

    // ---------------------------------------------------------------- internals

    private RedisBackend chooseBackend() {
        String url = System.getenv(ENV_URL);
        if (url != null && !url.isBlank()) {
            Assumptions.assumeFalse(settings.needsBinary(), ENV_URL + " is set: password/ACL/TLS/AOF tests need a"
                    + " private redis-server and are skipped");
            return new ExternalRedisBackend(URI.create(url.trim()));
        }
        RedisKind forced = settings.forcedKind() != null ? settings.forcedKind() : kindFromEnv();
        Optional<Path> binary = RedisFiles.findOnPath("redis-server");
        if (settings.needsBinary()) {
            Assumptions.assumeTrue(forced == null || forced == RedisKind.BINARY,
                    "password/ACL/TLS need the redis-server binary, but " + forced + " was forced");
            Assumptions.assumeTrue(binary.isPresent(), "password/ACL/TLS need redis-server on PATH");
            return binary(binary.get());
        }
        if (forced != null) {
            return switch (forced) {
                case CONTAINER -> new ContainerRedisBackend(RedisFiles.freePort());
                case BINARY -> binary(binary.orElseThrow(() -> new IllegalStateException("no redis-server on PATH")));
                case EMBEDDED -> new EmbeddedRedisBackend(RedisFiles.freePort(), workDir());
                case EXTERNAL -> throw new IllegalStateException("EXTERNAL is selected with " + ENV_URL);
            };
        }
        if (DockerProbe.isDockerAvailable()) {
            return new ContainerRedisBackend(RedisFiles.freePort());
        }
        if (binary.isPresent()) {
            return binary(binary.get());
        }
        return new EmbeddedRedisBackend(RedisFiles.freePort(), workDir());
    }

    private static RedisKind kindFromEnv() {
        String kind = System.getenv(ENV_KIND);
        return kind == null || kind.isBlank() ? null : RedisKind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
    }

    private BinaryRedisBackend binary(Path executable) {
        Path dir = workDir();
        if (settings.tls()) {
            tls = TlsMaterial.generate(dir.resolve("tls"));
        }
        return new BinaryRedisBackend(executable, RedisFiles.freePort(), settings, tls, dir);
    }

    private Path workDir() {
        if (workDir == null) {
            workDir = RedisFiles.tempDir("sandai-redis-");
        }
        return workDir;
    }

    /**
     * Polls PING until it answers. A dead process ends the wait at once (its exit is not ignored as
     * a connection error would be), with the server log in the message.
     */
    private void awaitReady() {
        try {
            Awaitility.await("Redis " + backend.kind() + " on port " + backend.port() + " answering PING")
                    .atMost(settings.startupTimeout())
                    .pollDelay(Duration.ZERO)
                    .pollInterval(POLL)
                    .ignoreExceptionsMatching(e -> !(e instanceof ServerDied))
                    .until(this::ping);
        } catch (ConditionTimeoutException | ServerDied e) {
            throw new IllegalStateException(e.getMessage() + "\n" + backend.diagnostics(), e);
        }
    }

    private boolean ping() {
        if (!backend.isRunning()) {
            throw new ServerDied("Redis " + backend.kind() + " exited before answering PING");
        }
        try (Jedis jedis = newJedis()) {
            return "PONG".equals(jedis.ping());
        }
    }

    private void requireStarted() {
        if (backend == null) {
            throw new IllegalStateException("Redis not started: register the extension with @RegisterExtension"
                    + " (static field) or call start()");
        }
    }

    private TlsMaterial requireTls() {
        if (tls == null) {
            throw new IllegalStateException("not a TLS server: build it with RedisServerExtension.builder().withTls()");
        }
        return tls;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static final class ServerDied extends RuntimeException {
        ServerDied(String message) {
            super(message);
        }
    }

    /** Options; all of them except {@link #withKind} and the timeout need the redis-server binary. */
    public static final class Builder {
        private String password;
        private String aclUser;
        private String aclPassword;
        private boolean tls;
        private RedisKind kind;
        private Duration startupTimeout = Duration.ofSeconds(30);
        private boolean appendOnly;
        private final List<String> extraArgs = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder() {
        }

        /** {@code requirepass pw}: clients authenticate as the default user. */
        public Builder withPassword(String password) {
            this.password = token("password", password);
            return this;
        }

        /**
         * An ACL user with full permissions; the default user is disabled (or, together with
         * {@link #withPassword}, keeps that password). Our clients and {@link #url()} use this user.
         */
        public Builder withAclUser(String user, String password) {
            this.aclUser = token("user", user);
            this.aclPassword = token("password", password);
            return this;
        }

        /**
         * TLS only (plain port off), with a CA and server certificate generated at test time. See
         * {@link #truststorePath()}, {@link #truststorePassword()}, {@link #caCertPath()}.
         */
        public Builder withTls() {
            this.tls = true;
            return this;
        }

        /** Force a kind instead of the fallback order (EXTERNAL is only chosen through {@link #ENV_URL}). */
        public Builder withKind(RedisKind kind) {
            this.kind = Objects.requireNonNull(kind);
            return this;
        }

        /** How long to wait for the first PING after a (re)start; default 30 s (a slow container pull). */
        public Builder withStartupTimeout(Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** AOF on ({@code appendfsync always}): queues survive a stop and restart, as on a production Redis. */
        public Builder withAppendOnly() {
            this.appendOnly = true;
            return this;
        }

        /** Extra redis-server arguments, e.g. {@code --replicaof 127.0.0.1 6379}. */
        public Builder withArgs(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        /** An environment variable of the redis-server process (e.g. a clock shim's LD_PRELOAD). */
        public Builder withEnv(String name, String value) {
            env.put(name, value);
            return this;
        }

        public RedisServerExtension build() {
            return new RedisServerExtension(new RedisSettings(password, aclUser, aclPassword, tls, kind, startupTimeout,
                    appendOnly, extraArgs, env));
        }

        /** Credentials go into a config file and onto a command line: no blanks or quotes. */
        private static String token(String what, String value) {
            if (value == null || value.isEmpty() || !value.matches("[^\\s\"'\\\\]+")) {
                throw new IllegalArgumentException(what + " must be non-empty, without blanks, quotes or backslashes");
            }
            return value;
        }
    }
}
