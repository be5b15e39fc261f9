package io.camelsandai.examples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import redis.embedded.RedisServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * Finds or starts what the demo needs, so that it runs on a fresh machine:
 * <ul>
 * <li>Redis: {@code SANDAI_REDIS_URL} if set; else {@code redis://localhost:6379/0} if it answers PING; else an
 * embedded Redis (the redis-server binary bundled in embedded-redis) on a free port. {@code SANDAI_REDIS_URL=embedded}
 * forces the embedded one.</li>
 * <li>S3: {@code SANDAI_S3_ENDPOINT} (with {@code SANDAI_S3_ACCESS_KEY} / {@code SANDAI_S3_SECRET_KEY}) if set; else
 * an in-process S3Proxy keeping its objects in a temporary directory. The bucket is created when missing.</li>
 * </ul>
 */
public final class DemoInfrastructure implements AutoCloseable {
    public static final String BUCKET = "sandai-demo";
    private static final String LOCAL_REDIS = "redis://localhost:6379/0";
    private static final String PROXY_ACCESS_KEY = "sandai-demo-access";
    private static final String PROXY_SECRET_KEY = "sandai-demo-secret";

    private String redisUrl;
    private String redisSource;
    private RedisServer embeddedRedis;

    private URI s3Endpoint;
    private String s3AccessKey;
    private String s3SecretKey;
    private String s3Source;
    private S3Proxy s3Proxy;
    private BlobStoreContext s3ProxyStore;
    private Path s3ProxyDir;

    private DemoInfrastructure() {
    }

    /** Chooses Redis and S3 from the environment as described above. */
    public static DemoInfrastructure fromEnvironment() throws Exception {
        DemoInfrastructure infra = new DemoInfrastructure();
        try {
            infra.chooseRedis(System.getenv("SANDAI_REDIS_URL"));
            infra.chooseS3(System.getenv("SANDAI_S3_ENDPOINT"), System.getenv("SANDAI_S3_ACCESS_KEY"),
                    System.getenv("SANDAI_S3_SECRET_KEY"));
        } catch (Exception | Error e) {
            infra.close();
            throw e;
        }
        return infra;
    }

    /** Given Redis and S3 (tests); null values fall back as in {@link #fromEnvironment()}. */
    public static DemoInfrastructure of(String redisUrl, URI s3Endpoint, String accessKey, String secretKey)
            throws Exception {
        DemoInfrastructure infra = new DemoInfrastructure();
        try {
            infra.chooseRedis(redisUrl);
            infra.chooseS3(s3Endpoint == null ? null : s3Endpoint.toString(), accessKey, secretKey);
        } catch (Exception | Error e) {
            infra.close();
            throw e;
        }
        return infra;
    }

    // ---- Redis ------------------------------------------------------------------------------------------------------

    private void chooseRedis(String configured) throws IOException {
        if (configured != null && !configured.isBlank() && !"embedded".equalsIgnoreCase(configured.trim())) {
            redisUrl = configured.trim();
            redisSource = "SANDAI_REDIS_URL";
        } else if (configured == null && answersPing("localhost", 6379)) {
            redisUrl = LOCAL_REDIS;
            redisSource = "localhost:6379 (answered PING)";
        } else {
            int port = freePort();
            // No persistence: the demo's data is worth nothing after it ends.
            embeddedRedis = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").build();
            embeddedRedis.start();
            redisUrl = "redis://127.0.0.1:" + port + "/0";
            redisSource = "embedded Redis started on port " + port;
        }
    }

    /** True when a Redis without a password answers PING there (RESP inline command, no client library needed). */
    static boolean answersPing(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(5);
            return "+PONG".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    // ---- S3 ---------------------------------------------------------------------------------------------------------

    private void chooseS3(String endpoint, String accessKey, String secretKey) throws Exception {
        if (endpoint != null && !endpoint.isBlank()) {
            s3Endpoint = URI.create(endpoint.trim());
            s3AccessKey = accessKey;
            s3SecretKey = secretKey;
            s3Source = "SANDAI_S3_ENDPOINT " + s3Endpoint;
            createBucketIfMissing();
        } else {
            startS3Proxy();
        }
    }

    /** S3Proxy: a real S3 HTTP API (SigV4) in this JVM, over the jclouds filesystem store in a temp dir. */
    private void startS3Proxy() throws Exception {
        s3ProxyDir = Files.createTempDirectory("sandai-demo-s3-");
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", s3ProxyDir.toString());
        s3ProxyStore = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential").overrides(props)
                .build(BlobStoreContext.class);
        s3Proxy = S3Proxy.builder().blobStore(s3ProxyStore.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, PROXY_ACCESS_KEY, PROXY_SECRET_KEY)
                .build();
        s3Proxy.start();
        long giveUp = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(s3Proxy.getState()) || s3Proxy.getPort() <= 0) {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("S3Proxy did not start within 30 s (state " + s3Proxy.getState() + ")");
            }
            Thread.sleep(20);
        }
        s3ProxyStore.getBlobStore().createContainerInLocation(null, BUCKET);
        s3Endpoint = URI.create("http://127.0.0.1:" + s3Proxy.getPort());
        s3AccessKey = PROXY_ACCESS_KEY;
        s3SecretKey = PROXY_SECRET_KEY;
        s3Source = "in-process S3Proxy on " + s3Endpoint;
    }

    private void createBucketIfMissing() {
        var builder = S3Client.builder().endpointOverride(s3Endpoint).forcePathStyle(true).region(Region.US_EAST_1);
        if (s3AccessKey != null && s3SecretKey != null) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3AccessKey,
                    s3SecretKey)));
        }
        try (S3Client s3 = builder.build()) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(BUCKET))) {
                s3.createBucket(b -> b.bucket(BUCKET));
            }
        } catch (BucketAlreadyOwnedByYouException e) {
            // created meanwhile: fine
        }
    }

    // ---- what the routes need ---------------------------------------------------------------------------------------

    public String redisUrl() {
        return redisUrl;
    }

    /** Where Redis came from, for the demo's first lines (never the URL itself: it may hold a password). */
    public String redisSource() {
        return redisSource;
    }

    public String s3Source() {
        return s3Source;
    }

    /** The sandai: endpoint options that point artifact staging at this S3 (secrets as RAW() so any character works). */
    public String s3Options() {
        StringBuilder options = new StringBuilder("s3Endpoint=").append(s3Endpoint)
                .append("&s3PathStyle=true&s3Region=us-east-1");
        if (s3AccessKey != null && s3SecretKey != null) {
            options.append("&s3AccessKey=RAW(").append(s3AccessKey).append(")&s3SecretKey=RAW(").append(s3SecretKey)
                    .append(")");
        }
        return options.toString();
    }

    @Override
    public void close() {
        if (s3Proxy != null) {
            try {
                s3Proxy.stop();
            } catch (Exception e) {
                System.err.println("S3Proxy did not stop cleanly: " + e);
            }
        }
        if (s3ProxyStore != null) {
            s3ProxyStore.close();
        }
        if (s3ProxyDir != null) {
            DemoFiles.deleteTree(s3ProxyDir);
        }
        if (embeddedRedis != null) {
            try {
                embeddedRedis.stop();
            } catch (IOException e) {
                System.err.println("Embedded Redis did not stop cleanly: " + e);
            }
        }
    }
}
