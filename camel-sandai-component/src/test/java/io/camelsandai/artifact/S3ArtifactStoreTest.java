package io.camelsandai.artifact;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** S3ArtifactStore against a real S3 HTTP endpoint (S3Proxy in this JVM). */
class S3ArtifactStoreTest {
    static S3ProxyServer server;
    static ArtifactStores stores;

    @BeforeAll
    static void startS3() throws Exception {
        server = S3ProxyServer.start();
        server.createBucket("bucket");
        stores = ArtifactStores.standard(server.settings().uploadConcurrency(3).downloadConcurrency(2).build());
    }

    @AfterAll
    static void stopS3() throws Exception {
        stores.close();
        server.close();
    }

    @Test
    void smallObjectRoundTripWithSizeShaAndContentType() throws Exception {
        byte[] bytes = "hello artifacts".getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create("s3://bucket/small/hello.txt");
        ArtifactStore store = stores.storeFor(uri);
        StoredArtifact stored = store.write(uri, new ByteArrayInputStream(bytes), -1, null);
        assertEquals(bytes.length, stored.size());
        assertEquals(TestData.sha256(bytes), stored.sha256());
        assertEquals("text/plain", stored.contentType());

        ArtifactStat stat = store.stat(uri);
        assertTrue(stat.exists());
        assertEquals(bytes.length, stat.size());
        assertEquals("text/plain", stat.contentType());
        // a single-part upload's ETag is the MD5 of its bytes, given without the quotes S3 puts around it
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes)),
                stat.etag());
        try (InputStream in = store.openRead(uri)) {
            assertEquals("hello artifacts", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        store.delete(uri);
        assertFalse(store.stat(uri).exists());
    }

    @Test
    void objectAboveThresholdGoesMultipartAndReadsBackIdentical() throws Exception {
        long size = 40 * ArtifactSettings.MIB + 12345; // threshold 16 MiB head, then 8 MiB parts, then a short tail
        URI uri = URI.create("s3://bucket/big/blob.bin");
        ArtifactStore store = stores.storeFor(uri);
        StoredArtifact stored = store.write(uri, TestData.stream(size, 7), -1, "application/octet-stream");
        assertEquals(size, stored.size());
        assertEquals(TestData.sha256(TestData.stream(size, 7)), stored.sha256());
        assertEquals(size, store.stat(uri).size());
        try (InputStream in = store.openRead(uri)) {
            assertEquals(stored.sha256(), TestData.sha256(in));
        }
    }

    @Test
    void writeFromFileWithKnownSize(@TempDir Path dir) throws Exception {
        Path file = TestData.file(dir, "clip.mp4", 3 * ArtifactSettings.MIB, 3);
        URI uri = URI.create("s3://bucket/files/clip.mp4");
        StoredArtifact stored = stores.storeFor(uri).write(uri, file, null);
        assertEquals(Files.size(file), stored.size());
        assertEquals(TestData.sha256(file), stored.sha256());
        assertEquals("video/mp4", stored.contentType());
    }

    @Test
    void missingKeyAndBucketAreNotFoundAndNotRetryable() {
        ArtifactStore store = stores.storeFor(URI.create("s3://bucket/x"));
        ArtifactNotFoundException missingKey = assertThrows(ArtifactNotFoundException.class,
                () -> store.openRead(URI.create("s3://bucket/nope/missing.bin")));
        assertEquals("ArtifactNotFound", missingKey.errorType());
        assertFalse(missingKey.retryable());
        assertThrows(ArtifactNotFoundException.class, () -> store.openRead(URI.create("s3://no-such-bucket/k")));
        assertFalse(store.stat(URI.create("s3://bucket/nope/missing.bin")).exists());
    }

    @Test
    void wrongCredentialsAreAccessDeniedAndSecretNeverShown() throws Exception {
        ArtifactSettings bad = server.settings().s3Credentials(S3ProxyServer.ACCESS_KEY, "wrong-secret-value").build();
        assertFalse(bad.toString().contains("wrong-secret-value"));
        assertTrue(bad.toString().contains("****"));
        try (S3ArtifactStore store = new S3ArtifactStore(bad)) {
            ArtifactAccessDeniedException e = assertThrows(ArtifactAccessDeniedException.class,
                    () -> store.openRead(URI.create("s3://bucket/small/hello.txt")));
            assertFalse(String.valueOf(e.getMessage()).contains("wrong-secret-value"));
            assertFalse(e.retryable());
        }
    }

    @Test
    void unreachableEndpointIsRetryableTransferError() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ArtifactSettings down = server.settings().s3Endpoint(URI.create("http://127.0.0.1:" + closedPort)).build();
        try (S3ArtifactStore store = new S3ArtifactStore(down)) {
            ArtifactTransferException e = assertThrows(ArtifactTransferException.class,
                    () -> store.openRead(URI.create("s3://bucket/anything")));
            assertTrue(e.retryable());
            assertEquals("ArtifactTransferFailed", e.errorType());
        }
    }

    @Test
    void malformedS3UriIsRefused() {
        ArtifactStore store = stores.storeFor(URI.create("s3://bucket/x"));
        assertThrows(ArtifactAccessDeniedException.class, () -> store.openRead(URI.create("s3://bucket-only")));
    }
}
