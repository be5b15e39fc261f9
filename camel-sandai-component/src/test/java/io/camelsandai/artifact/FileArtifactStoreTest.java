package io.camelsandai.artifact;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** file:// confinement: only below allowedRoots, no '..', no relative paths, no symlinks escaping the root. */
class FileArtifactStoreTest {
    @TempDir
    Path tmp;
    Path root;
    Path outside;
    FileArtifactStore store;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "top secret");
        Files.writeString(root.resolve("in.txt"), "inside");
        store = new FileArtifactStore(List.of(root));
    }

    private static URI uri(Path p) {
        return p.toUri();
    }

    @Test
    void readsAndWritesInsideTheRoot() throws Exception {
        try (InputStream in = store.openRead(uri(root.resolve("in.txt")))) {
            assertEquals("inside", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        URI target = uri(root.resolve("sub/dir/out.txt"));
        StoredArtifact stored = store.write(target, new ByteArrayInputStream("out".getBytes()), 3, null);
        assertEquals(3, stored.size());
        assertEquals(TestData.sha256("out".getBytes()), stored.sha256());
        assertEquals("out", Files.readString(root.resolve("sub/dir/out.txt")));
        assertTrue(store.stat(target).exists());
        store.delete(target);
        assertFalse(store.stat(target).exists());
    }

    @Test
    void noRootsMeansEveryFileIsRefused() {
        FileArtifactStore none = new FileArtifactStore(List.of());
        assertThrows(ArtifactAccessDeniedException.class, () -> none.openRead(uri(root.resolve("in.txt"))));
        assertThrows(ArtifactAccessDeniedException.class, () -> none.openRead(URI.create("file:///etc/passwd")));
    }

    @Test
    void pathOutsideTheRootIsRefused() {
        ArtifactAccessDeniedException e = assertThrows(ArtifactAccessDeniedException.class,
                () -> store.openRead(URI.create("file:///etc/passwd")));
        assertEquals("ArtifactAccessDenied", e.errorType());
        assertFalse(e.retryable());
        assertThrows(ArtifactAccessDeniedException.class, () -> store.openRead(uri(outside.resolve("secret.txt"))));
        assertThrows(ArtifactAccessDeniedException.class,
                () -> store.write(uri(outside.resolve("new.txt")), new ByteArrayInputStream(new byte[1]), 1, null));
        assertFalse(Files.exists(outside.resolve("new.txt")));
    }

    @Test
    void dotDotSegmentsAreRefusedEvenWhenEncoded() {
        String base = root.toUri().toString(); // file:///.../root/
        assertThrows(ArtifactAccessDeniedException.class,
                () -> store.openRead(URI.create(base + "../outside/secret.txt")));
        assertThrows(ArtifactAccessDeniedException.class,
                () -> store.openRead(URI.create(base + "%2e%2e/outside/secret.txt")));
        assertThrows(ArtifactAccessDeniedException.class, () -> store.openRead(URI.create(base + "./in.txt")));
    }

    @Test
    void relativeOpaqueAndRemoteHostUrisAreRefused() {
        assertThrows(ArtifactAccessDeniedException.class, () -> store.openRead(URI.create("file:in.txt")));
        assertThrows(ArtifactAccessDeniedException.class, () -> store.openRead(URI.create("file://evil.example/etc/passwd")));
        assertThrows(ArtifactAccessDeniedException.class, () -> store.openRead(URI.create("s3://bucket/key")));
    }

    @Test
    void symlinkInsideRootPointingOutsideIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(root.resolve("link.txt"), outside.resolve("secret.txt"));
        assertThrows(ArtifactAccessDeniedException.class, () -> store.openRead(uri(link)));
        Path dirLink = Files.createSymbolicLink(root.resolve("escape"), outside);
        assertThrows(ArtifactAccessDeniedException.class, () -> store.openRead(uri(dirLink.resolve("secret.txt"))));
        // Writing through a directory link must not create files outside the root either.
        assertThrows(ArtifactAccessDeniedException.class,
                () -> store.write(uri(dirLink.resolve("planted.txt")), new ByteArrayInputStream(new byte[1]), 1, null));
        assertFalse(Files.exists(outside.resolve("planted.txt")));
        assertThrows(ArtifactAccessDeniedException.class,
                () -> store.write(uri(dirLink.resolve("deeper/planted.txt")), new ByteArrayInputStream(new byte[1]), 1, null));
        assertFalse(Files.exists(outside.resolve("deeper")));
    }

    @Test
    void symlinkStayingInsideTheRootIsFine() throws Exception {
        Path link = Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("in.txt"));
        try (InputStream in = store.openRead(uri(link))) {
            assertEquals("inside", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void missingFileInsideRootIsNotFound() {
        ArtifactNotFoundException e = assertThrows(ArtifactNotFoundException.class,
                () -> store.openRead(uri(root.resolve("missing.bin"))));
        assertFalse(e.retryable());
        assertThrows(ArtifactNotFoundException.class, () -> store.openRead(uri(root))); // a directory is not a file
    }

    @Test
    void registryRefusesUnknownSchemesAndAcceptsCustomOnes() throws Exception {
        try (ArtifactStores stores = ArtifactStores.standard(ArtifactSettings.defaults())) {
            ArtifactAccessDeniedException e = assertThrows(ArtifactAccessDeniedException.class,
                    () -> stores.storeFor("gopher://host/x"));
            assertTrue(e.getMessage().contains("gopher"));
            assertThrows(ArtifactAccessDeniedException.class, () -> stores.storeFor("no-scheme/path"));
            // Default settings: no allowed roots, so a task cannot read local files.
            assertThrows(ArtifactAccessDeniedException.class,
                    () -> stores.storeFor("file:///etc/passwd").openRead(URI.create("file:///etc/passwd")));
            stores.register("mem", store);
            assertTrue(stores.supports("MEM"));
            assertTrue(stores.storeFor("mem://x") == store);
        }
    }
}
