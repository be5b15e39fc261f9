package io.camelsandai.artifact;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import static org.awaitility.Awaitility.await;

/**
 * A real S3 HTTP endpoint in this JVM: S3Proxy on a free port, jclouds filesystem backend in a temporary directory
 * (so large objects live on disk, not in the test heap), SigV4 with a fixed identity/credential.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "sandai-test-access";
    public static final String SECRET_KEY = "sandai-test-secret-do-not-log";

    private final Path baseDir;
    private final BlobStoreContext context;
    private final S3Proxy proxy;

    private S3ProxyServer(Path baseDir) throws Exception {
        this.baseDir = baseDir;
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", baseDir.toString());
        this.context = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential").overrides(props)
                .build(BlobStoreContext.class);
        this.proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> "STARTED".equals(proxy.getState()) && proxy.getPort() > 0);
    }

    public static S3ProxyServer start() throws Exception {
        return new S3ProxyServer(Files.createTempDirectory("s3proxy-"));
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public void createBucket(String bucket) {
        context.getBlobStore().createContainerInLocation(null, bucket);
    }

    /** Settings pointing at this server, path-style, with its credentials. */
    public ArtifactSettings.Builder settings() {
        return ArtifactSettings.builder().s3Endpoint(endpoint()).s3PathStyle(true).s3Region("us-east-1")
                .s3Credentials(ACCESS_KEY, SECRET_KEY);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
        StagingOperatorHandler.deleteTree(baseDir);
    }

    static void deleteQuietly(Path p) throws IOException {
        StagingOperatorHandler.deleteTree(p);
    }
}
