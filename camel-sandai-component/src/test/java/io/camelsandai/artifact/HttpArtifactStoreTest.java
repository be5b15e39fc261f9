package io.camelsandai.artifact;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HttpArtifactStore against the JDK's in-process HTTP server: GET, redirects, caps, status mapping, PUT. */
class HttpArtifactStoreTest {
    static HttpServer server;
    static final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    static String base;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", HttpArtifactStoreTest::serve);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        objects.put("/files/a.txt", "alpha".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        try (ex) {
            if (path.startsWith("/redirect/")) {
                // /redirect/<n>/<target path>: n hops, then the target.
                String[] parts = path.split("/", 4);
                int n = Integer.parseInt(parts[2]);
                String next = n <= 1 ? "/" + parts[3] : "/redirect/" + (n - 1) + "/" + parts[3];
                ex.getResponseHeaders().add("Location", next);
                ex.sendResponseHeaders(302, -1);
                return;
            }
            if (path.startsWith("/status/")) {
                ex.sendResponseHeaders(Integer.parseInt(path.substring(8)), -1);
                return;
            }
            if (path.equals("/endless")) {
                // Chunked, no Content-Length: the cap must hold on the bytes read.
                ex.sendResponseHeaders(200, 0);
                byte[] chunk = new byte[64 * 1024];
                try (OutputStream out = ex.getResponseBody()) {
                    for (int i = 0; i < 64; i++) {
                        out.write(chunk);
                    }
                } catch (IOException ignored) {
                    // client hung up after the cap: expected
                }
                return;
            }
            switch (ex.getRequestMethod()) {
                case "PUT" -> {
                    objects.put(path, ex.getRequestBody().readAllBytes());
                    ex.sendResponseHeaders(201, -1);
                }
                case "GET", "HEAD" -> {
                    byte[] body = objects.get(path);
                    if (body == null) {
                        ex.sendResponseHeaders(404, -1);
                        return;
                    }
                    ex.getResponseHeaders().add("Content-Type", "text/plain");
                    boolean head = ex.getRequestMethod().equals("HEAD");
                    if (head) {
                        ex.getResponseHeaders().add("Content-Length", String.valueOf(body.length));
                    }
                    ex.sendResponseHeaders(200, head ? -1 : body.length);
                    if (!head) {
                        ex.getResponseBody().write(body);
                    }
                }
                case "DELETE" -> {
                    ex.sendResponseHeaders(objects.remove(path) != null ? 204 : 404, -1);
                }
                default -> ex.sendResponseHeaders(405, -1);
            }
        }
    }

    private static HttpArtifactStore store(ArtifactSettings.Builder b) {
        return new HttpArtifactStore(b.build());
    }

    private static byte[] read(ArtifactStore store, String path) throws IOException {
        try (InputStream in = store.openRead(URI.create(base + path))) {
            return in.readAllBytes();
        }
    }

    @Test
    void getStreamsTheBody() throws IOException {
        assertArrayEquals("alpha".getBytes(), read(store(ArtifactSettings.builder()), "/files/a.txt"));
    }

    @Test
    void redirectsAreFollowedUpToTheLimit() throws IOException {
        HttpArtifactStore twoHops = store(ArtifactSettings.builder().httpMaxRedirects(2));
        assertArrayEquals("alpha".getBytes(), read(twoHops, "/redirect/2/files/a.txt"));
        ArtifactTransferException e = assertThrows(ArtifactTransferException.class,
                () -> read(twoHops, "/redirect/3/files/a.txt"));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("redirects"));
    }

    @Test
    void sizeCapHoldsOnContentLengthAndOnStreamedBytes() {
        HttpArtifactStore tiny = store(ArtifactSettings.builder().httpMaxBytes(3));
        ArtifactTransferException announced = assertThrows(ArtifactTransferException.class,
                () -> read(tiny, "/files/a.txt"));
        assertFalse(announced.retryable());
        HttpArtifactStore small = store(ArtifactSettings.builder().httpMaxBytes(100_000));
        assertThrows(CappedInputStream.SizeCapExceeded.class, () -> read(small, "/endless"));
    }

    @Test
    void statusCodesMapToTheErrorContract() {
        HttpArtifactStore store = store(ArtifactSettings.builder());
        assertThrows(ArtifactNotFoundException.class, () -> read(store, "/files/missing"));
        assertThrows(ArtifactNotFoundException.class, () -> read(store, "/status/410"));
        assertThrows(ArtifactAccessDeniedException.class, () -> read(store, "/status/403"));
        assertTrue(assertThrows(ArtifactTransferException.class, () -> read(store, "/status/503")).retryable());
        assertTrue(assertThrows(ArtifactTransferException.class, () -> read(store, "/status/429")).retryable());
        assertFalse(assertThrows(ArtifactTransferException.class, () -> read(store, "/status/400")).retryable());
    }

    @Test
    void connectionRefusedIsRetryable() throws IOException {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        HttpArtifactStore store = store(ArtifactSettings.builder());
        ArtifactTransferException e = assertThrows(ArtifactTransferException.class,
                () -> store.openRead(URI.create("http://127.0.0.1:" + closedPort + "/x")));
        assertTrue(e.retryable());
    }

    @Test
    void putUploadsWithDigestThenStatAndDelete() throws Exception {
        HttpArtifactStore store = store(ArtifactSettings.builder());
        byte[] body = "uploaded via PUT".getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(base + "/up/result.txt");
        StoredArtifact stored = store.write(uri, new ByteArrayInputStream(body), body.length, null);
        assertEquals(body.length, stored.size());
        assertEquals(TestData.sha256(body), stored.sha256());
        assertArrayEquals(body, objects.get("/up/result.txt"));
        ArtifactStat stat = store.stat(uri);
        assertTrue(stat.exists());
        assertEquals(body.length, stat.size());
        store.delete(uri);
        assertFalse(store.stat(uri).exists());
        // Unknown length goes chunked.
        store.write(URI.create(base + "/up/chunked.bin"), new ByteArrayInputStream(body), -1, null);
        assertArrayEquals(body, objects.get("/up/chunked.bin"));
    }

    @Test
    void preSignedQueryNeverAppearsInErrors() {
        HttpArtifactStore store = store(ArtifactSettings.builder());
        ArtifactNotFoundException e = assertThrows(ArtifactNotFoundException.class,
                () -> store.openRead(URI.create(base + "/files/missing?X-Amz-Signature=deadbeef")));
        assertFalse(e.getMessage().contains("deadbeef"));
    }
}
