package io.camelsandai.testsupport;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * A real Redis Sentinel deployment on loopback ports: one master, one replica and three sentinels (quorum 2), all
 * {@code redis-server} child processes ({@code redis-server <conf> --sentinel}). Failure detection is fast
 * ({@code down-after-milliseconds} 1000, {@code failover-timeout} 3000) so that a killed master is replaced within a
 * few seconds.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SentinelCluster sentinel = SentinelCluster.builder().withPassword("pw").build();
 * ...
 * sentinel.url();            // sentinel://:pw@127.0.0.1:p1/0;sentinel://127.0.0.1:p2/0;sentinel://127.0.0.1:p3/0
 * sentinel.masterName();     // "sandai-master"
 * int old = sentinel.killMaster();   // SIGKILL of the current master
 * sentinel.awaitNewMaster(old);      // until every sentinel names the promoted replica
 * }</pre>
 *
 * <p>Skipped (assumption) when {@code redis-server} is not on PATH.
 */
public final class SentinelCluster implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    public static final String MASTER_NAME = "sandai-master";
    private static final Duration DOWN_AFTER = Duration.ofMillis(1000);
    private static final Duration FAILOVER_TIMEOUT = Duration.ofMillis(3000);

    private final String password;
    private final String sentinelPassword;
    private final boolean withTls;
    private TlsMaterial tls;
    private final Path logDir = TestDirs.dir("redis-logs");
    private final List<Node> data = new ArrayList<>();
    private final List<Node> sentinels = new ArrayList<>();
    private Path workDir;

    /** One redis-server process and the port it listens on. */
    private static final class Node {
        final int port;
        final List<String> command;
        ManagedProcess process;

        Node(int port, List<String> command) {
            this.port = port;
            this.command = command;
        }
    }

    private SentinelCluster(Builder b) {
        this.password = b.password;
        this.sentinelPassword = b.sentinelPassword;
        this.withTls = b.tls;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String password;
        private String sentinelPassword;
        private boolean tls;

        /** TLS only, on data nodes and sentinels (and between them): no plain TCP port at all. */
        public Builder withTls() {
            tls = true;
            return this;
        }

        /** requirepass on master and replica (and masterauth, sentinel auth-pass). */
        public Builder withPassword(String v) {
            password = v;
            return this;
        }

        /** requirepass on the sentinels themselves (kombu's sentinel_kwargs password). */
        public Builder withSentinelPassword(String v) {
            sentinelPassword = v;
            return this;
        }

        public SentinelCluster build() {
            return new SentinelCluster(this);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public void start() throws IOException {
        Optional<Path> binary = RedisFiles.findOnPath("redis-server");
        Assumptions.assumeTrue(binary.isPresent(), "Sentinel tests need redis-server on PATH");
        String exe = binary.get().toString();
        workDir = RedisFiles.tempDir("sentinel-cluster");
        if (withTls) {
            tls = TlsMaterial.generate(workDir.resolve("tls"));
        }
        int masterPort = RedisFiles.freePort();
        data.add(new Node(masterPort, dataCommand(exe, masterPort, null)));
        int replicaPort = RedisFiles.freePort();
        data.add(new Node(replicaPort, dataCommand(exe, replicaPort, masterPort)));
        for (Node n : data) {
            n.process = ManagedProcess.start("redis-" + n.port, n.command, Map.of(), workDir, logDir);
        }
        awaitReplicaInSync(masterPort, replicaPort);
        for (int i = 0; i < 3; i++) {
            int port = RedisFiles.freePort();
            Node s = new Node(port, List.of(exe, writeSentinelConf(port, masterPort).toString(), "--sentinel"));
            s.process = ManagedProcess.start("sentinel-" + port, s.command, Map.of(), workDir, logDir);
            sentinels.add(s);
        }
        // Ready when every sentinel knows the replica and the two other sentinels: a failover can then happen.
        Awaitility.await("sentinels see the replica and each other").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(this::sentinelsReady);
    }

    private List<String> dataCommand(String exe, int port, Integer replicaOf) {
        List<String> cmd = new ArrayList<>(List.of(exe));
        if (tls != null) {
            cmd.addAll(List.of("--port", "0", "--tls-port", String.valueOf(port), "--tls-cert-file",
                    tls.serverCertPem().toString(), "--tls-key-file", tls.serverKeyPem().toString(),
                    "--tls-ca-cert-file", tls.caCertPem().toString(), "--tls-auth-clients", "no",
                    "--tls-replication", "yes"));
        } else {
            cmd.addAll(List.of("--port", String.valueOf(port)));
        }
        cmd.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workDir.toString(),
                "--logfile", logDir.resolve("redis-" + port + "-sentinel-cluster.log").toString()));
        if (password != null) {
            cmd.addAll(List.of("--requirepass", password, "--masterauth", password));
        }
        if (replicaOf != null) {
            cmd.addAll(List.of("--replicaof", "127.0.0.1", String.valueOf(replicaOf)));
        }
        return cmd;
    }

    private Path writeSentinelConf(int port, int masterPort) throws IOException {
        StringBuilder conf = new StringBuilder();
        if (tls != null) {
            conf.append("port 0\n").append("tls-port ").append(port).append('\n')
                    .append("tls-cert-file ").append(tls.serverCertPem()).append('\n')
                    .append("tls-key-file ").append(tls.serverKeyPem()).append('\n')
                    .append("tls-ca-cert-file ").append(tls.caCertPem()).append('\n')
                    .append("tls-auth-clients no\n").append("tls-replication yes\n");
        } else {
            conf.append("port ").append(port).append('\n');
        }
        conf
                .append("bind 127.0.0.1\n")
                .append("dir ").append(workDir).append('\n')
                .append("logfile ").append(logDir.resolve("sentinel-" + port + ".log")).append('\n')
                .append("sentinel resolve-hostnames no\n")
                .append("sentinel monitor ").append(MASTER_NAME).append(" 127.0.0.1 ").append(masterPort)
                .append(" 2\n")
                .append("sentinel down-after-milliseconds ").append(MASTER_NAME).append(' ')
                .append(DOWN_AFTER.toMillis()).append('\n')
                .append("sentinel failover-timeout ").append(MASTER_NAME).append(' ')
                .append(FAILOVER_TIMEOUT.toMillis()).append('\n')
                .append("sentinel parallel-syncs ").append(MASTER_NAME).append(" 1\n");
        if (password != null) {
            conf.append("sentinel auth-pass ").append(MASTER_NAME).append(' ').append(password).append('\n');
        }
        if (sentinelPassword != null) {
            // The sentinels' own password, and the one they use to talk to each other.
            conf.append("requirepass ").append(sentinelPassword).append('\n')
                    .append("sentinel sentinel-pass ").append(sentinelPassword).append('\n');
        }
        // Sentinel rewrites its config file: each needs its own.
        return Files.writeString(workDir.resolve("sentinel-" + port + ".conf"), conf.toString(),
                StandardCharsets.UTF_8);
    }

    private boolean sentinelsReady() {
        for (Node s : sentinels) {
            try (Jedis j = sentinel(s.port)) {
                Map<String, String> m = j.sentinelMaster(MASTER_NAME);
                if (!"1".equals(m.get("num-slaves")) || !"2".equals(m.get("num-other-sentinels"))) {
                    return false;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    private void awaitReplicaInSync(int masterPort, int replicaPort) {
        Awaitility.await("replica in sync").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions().until(() -> {
                    try (Jedis r = data(replicaPort)) {
                        return r.info("replication").contains("master_link_status:up");
                    }
                });
    }

    private DefaultJedisClientConfig.Builder tlsIfAny(DefaultJedisClientConfig.Builder b) {
        return tls == null ? b : b.ssl(true).sslSocketFactory(tls.sslSocketFactory());
    }

    /** The generated CA and truststore; empty unless built {@link Builder#withTls()}. */
    public Optional<TlsMaterial> tls() {
        return Optional.ofNullable(tls);
    }

    private Jedis sentinel(int port) {
        JedisClientConfig cfg = tlsIfAny(DefaultJedisClientConfig.builder().password(sentinelPassword)
                .socketTimeoutMillis(2000).connectionTimeoutMillis(2000).resp2()).build();
        return new Jedis(new HostAndPort("127.0.0.1", port), cfg);
    }

    private Jedis data(int port) {
        JedisClientConfig cfg = tlsIfAny(DefaultJedisClientConfig.builder().password(password)
                .socketTimeoutMillis(5000).connectionTimeoutMillis(2000).resp2()).build();
        return new Jedis(new HostAndPort("127.0.0.1", port), cfg);
    }

    /**
     * {@code sentinel://[:password@]127.0.0.1:p1/db;sentinel://127.0.0.1:p2/db;sentinel://127.0.0.1:p3/db}, exactly as kombu
     * and Celery take it.
     */
    public String url(int db) {
        String auth = password == null ? "" : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                .replace("+", "%20") + "@";
        // The db on every part, as Celery's docs write it: kombu and Celery read only the first part's.
        return sentinels.stream().map(s -> "sentinel://" + (s == sentinels.get(0) ? auth : "") + "127.0.0.1:" + s.port
                                           + "/" + db).collect(Collectors.joining(";"));
    }

    public String url() {
        return url(0);
    }

    public String masterName() {
        return MASTER_NAME;
    }

    public List<Integer> sentinelPorts() {
        return sentinels.stream().map(s -> s.port).toList();
    }

    /** The master's port as the first sentinel that answers names it. */
    public int masterPort() {
        for (Node s : sentinels) {
            try (Jedis j = sentinel(s.port)) {
                List<String> addr = j.sentinelGetMasterAddrByName(MASTER_NAME);
                if (addr != null) {
                    return Integer.parseInt(addr.get(1));
                }
            } catch (RuntimeException e) {
                // try the next sentinel
            }
        }
        throw new IllegalStateException("no sentinel names the master");
    }

    /** A plain connection to the current master (for counting what arrived). */
    public Jedis master() {
        return data(masterPort());
    }

    /** A plain connection to one data node (master or replica) by port. */
    public Jedis node(int port) {
        return data(port);
    }

    /** SIGKILL of the current master, as a crash: nothing more is replicated. Returns its port. */
    public int killMaster() {
        int port = masterPort();
        Node n = data.stream().filter(d -> d.port == port).findFirst().orElseThrow();
        n.process.kill();
        return port;
    }

    /**
     * Starts a killed node again as it was first started; the sentinels turn it into a replica of the current master
     * (an old master coming back is reconfigured by them). Returns once it is a replica in sync.
     */
    public void restart(int port) {
        Node n = data.stream().filter(d -> d.port == port).findFirst().orElseThrow();
        n.process = ManagedProcess.start("redis-" + n.port, n.command, Map.of(), workDir, logDir);
        int master = masterPort();
        Awaitility.await("node " + port + " back as a replica of " + master).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                    try (Jedis r = data(port)) {
                        String info = r.info("replication");
                        return info.contains("role:slave") && info.contains("master_port:" + master)
                               && info.contains("master_link_status:up");
                    }
                });
        // A replica the sentinels still flag as down could not be promoted by the next failover.
        Awaitility.await("sentinels see the replica up again").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                    for (Node s : sentinels) {
                        try (Jedis j = sentinel(s.port)) {
                            for (Map<String, String> r : j.sentinelReplicas(MASTER_NAME)) {
                                if (!r.get("flags").equals("slave")) {
                                    return false;
                                }
                            }
                        }
                    }
                    return sentinelsReady();
                });
    }

    /** {@code SENTINEL FAILOVER}: a clean switch, the old master stays up and becomes a replica. Returns its port. */
    public int manualFailover() {
        int port = masterPort();
        try (Jedis j = sentinel(sentinels.get(0).port)) {
            j.sentinelFailover(MASTER_NAME);
        }
        return port;
    }

    /** Until every sentinel names a master other than {@code oldPort} and that node answers as a master. */
    public Duration awaitNewMaster(int oldPort, Duration atMost) {
        long start = System.nanoTime();
        Awaitility.await("failover away from " + oldPort).atMost(atMost).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> {
                    for (Node s : sentinels) {
                        try (Jedis j = sentinel(s.port)) {
                            if (Integer.parseInt(j.sentinelGetMasterAddrByName(MASTER_NAME).get(1)) == oldPort) {
                                return false;
                            }
                        }
                    }
                    try (Jedis m = data(masterPort())) {
                        return m.info("replication").contains("role:master");
                    }
                });
        return Duration.ofNanos(System.nanoTime() - start);
    }

    public String diagnostics() {
        StringBuilder sb = new StringBuilder();
        for (Node n : data) {
            sb.append("redis ").append(n.port).append(n.process.isAlive() ? " alive\n" : " dead\n");
            sb.append(LogTail.block("redis " + n.port, logDir.resolve("redis-" + n.port + "-sentinel-cluster.log"), 15));
        }
        for (Node s : sentinels) {
            sb.append(LogTail.block("sentinel " + s.port, logDir.resolve("sentinel-" + s.port + ".log"), 15));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (Node n : sentinels) {
            n.process.terminate(Duration.ofSeconds(5));
        }
        for (Node n : data) {
            if (n.process != null && n.process.isAlive()) {
                n.process.terminate(Duration.ofSeconds(5));
            }
        }
        sentinels.clear();
        data.clear();
        if (workDir != null) {
            RedisFiles.deleteQuietly(workDir);
        }
    }
}
