package io.camelsandai.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelsandai.artifact.S3ProxyServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both sides of artifact staging through Redis and a real S3 API (S3Proxy in this JVM). */
class S3ArtifactRoutesTest extends ExampleTestSupport {
    private static S3ProxyServer s3;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.start();
        s3.createBucket("examples");
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        p.setProperty("sandai.output-uri", "s3://examples/outputs");
        p.setProperty("sandai.staging-uri", "s3://examples/staging");
        p.setProperty("sandai.download-dir", tmp.resolve("downloads").toString());
        p.setProperty("sandai.s3.endpoint", s3.endpoint().toString());
        p.setProperty("sandai.s3.access-key", S3ProxyServer.ACCESS_KEY);
        p.setProperty("sandai.s3.secret-key", S3ProxyServer.SECRET_KEY);
        return p;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new S3ArtifactRoutes();
    }

    @Test
    void aLocalFileGoesThroughS3AndComesBackUpperCased() throws Exception {
        Path input = Files.writeString(tmp.resolve("poem.txt"), "roses are red\nviolets are blue\n",
                StandardCharsets.UTF_8);

        Path output = template.requestBody("direct:upper-case-file", input, Path.class);

        assertTrue(output.startsWith(tmp.resolve("downloads")), output.toString());
        assertEquals("ROSES ARE RED\nVIOLETS ARE BLUE\n", Files.readString(output, StandardCharsets.UTF_8));
    }
}
