package io.camelsandai.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.camelsandai.model.Artifact;
import io.camelsandai.util.DaemonThreads;

/**
 * Moves artifacts between their URIs and local files, with size and sha256 measured on the way and checked against
 * what the artifact announced. Batches run on two bounded pools ({@code downloadConcurrency},
 * {@code uploadConcurrency} threads). Used by both {@link StagingOperatorHandler} and {@link StagingClient}.
 */
public final class ArtifactTransfer implements AutoCloseable {
    private final ArtifactStores stores;
    private final ExecutorService downloads;
    private final ExecutorService uploads;

    public ArtifactTransfer(ArtifactStores stores, ArtifactSettings settings) {
        this.stores = stores;
        this.downloads = pool("sandai-artifact-download", settings.downloadConcurrency());
        this.uploads = pool("sandai-artifact-upload", settings.uploadConcurrency());
    }

    private static ExecutorService pool(String prefix, int size) {
        return Executors.newFixedThreadPool(size, DaemonThreads.factory(prefix));
    }

    public ArtifactStores stores() {
        return stores;
    }

    /**
     * Downloads an artifact to {@code target} (parent directories created) and returns it with {@code localPath},
     * {@code size} and {@code sha256} set.
     *
     * @throws ArtifactIntegrityException when the artifact announced a size or sha256 the bytes do not match (the
     *                                    partial file is removed)
     */
    public Artifact download(Artifact artifact, Path target) {
        URI uri = ArtifactStores.parse(artifact.uri());
        ArtifactStore store = stores.storeFor(uri);
        MeasuredInputStream measured;
        try {
            Files.createDirectories(target.getParent());
            try (InputStream in = store.openRead(uri); OutputStream out = Files.newOutputStream(target)) {
                measured = new MeasuredInputStream(in);
                measured.transferTo(out);
            }
        } catch (CappedInputStream.SizeCapExceeded e) {
            deleteQuietly(target);
            throw new ArtifactTransferException(e.getMessage(), false, e);
        } catch (IOException e) {
            deleteQuietly(target);
            // Reading broke mid-body (connection reset, timeout): a new attempt may go through.
            throw new ArtifactTransferException("download of " + HttpArtifactStore.shown(uri) + " failed: " + e, true, e);
        } catch (RuntimeException e) {
            deleteQuietly(target);
            throw e;
        }
        String sha256 = measured.sha256Hex();
        verify(artifact, measured.count(), sha256, target);
        return artifact.toBuilder().localPath(target).size(measured.count()).sha256(sha256).build();
    }

    private static void verify(Artifact artifact, long size, String sha256, Path target) {
        String problem = null;
        if (artifact.size() != null && artifact.size() != size) {
            problem = "size " + size + " != announced " + artifact.size();
        } else if (artifact.sha256() != null && !artifact.sha256().equalsIgnoreCase(sha256)) {
            problem = "sha256 " + sha256 + " != announced " + artifact.sha256();
        }
        if (problem != null) {
            deleteQuietly(target);
            throw new ArtifactIntegrityException("artifact " + artifact + " is corrupt: " + problem);
        }
    }

    /** Uploads a local file; the artifact returned has uri, slot, size, sha256 and content_type (no local path). */
    public Artifact upload(Path file, String targetUri, String slot, String contentType) {
        URI uri = ArtifactStores.parse(targetUri);
        String type = contentType != null ? contentType : ContentTypes.guess(file.getFileName().toString());
        StoredArtifact stored = stores.storeFor(uri).write(uri, file, type);
        return Artifact.builder().uri(stored.uri().toString()).slot(slot).size(stored.size()).sha256(stored.sha256())
                .contentType(stored.contentType()).build();
    }

    /** Downloads several artifacts at once, at most {@code downloadConcurrency} in parallel; order is kept. */
    public List<Artifact> downloadAll(List<Artifact> artifacts, List<Path> targets) {
        if (artifacts.size() != targets.size()) {
            throw new IllegalArgumentException("one target per artifact");
        }
        List<CompletableFuture<Artifact>> futures = new ArrayList<>();
        for (int i = 0; i < artifacts.size(); i++) {
            Artifact a = artifacts.get(i);
            Path target = targets.get(i);
            futures.add(CompletableFuture.supplyAsync(() -> download(a, target), downloads));
        }
        return joinAll(futures);
    }

    /** One upload job: a local file to a target URI. */
    public record Upload(Path file, String targetUri, String slot, String contentType) {
    }

    /** Uploads several files at once, at most {@code uploadConcurrency} in parallel; order is kept. */
    public List<Artifact> uploadAll(List<Upload> jobs) {
        List<CompletableFuture<Artifact>> futures = new ArrayList<>();
        for (Upload u : jobs) {
            futures.add(CompletableFuture.supplyAsync(() -> upload(u.file(), u.targetUri(), u.slot(), u.contentType()),
                    uploads));
        }
        return joinAll(futures);
    }

    /** Waits for all (so no transfer still writes into a directory about to be removed), then reports the first error. */
    private static List<Artifact> joinAll(List<CompletableFuture<Artifact>> futures) {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).handle((v, t) -> null).join();
        List<Artifact> out = new ArrayList<>(futures.size());
        for (CompletableFuture<Artifact> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArtifactTransferException("interrupted while transferring artifacts", true, e);
            }
        }
        return out;
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RuntimeException re) {
            return re;
        }
        return new ArtifactTransferException("artifact transfer failed: " + t, false, t);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public void close() {
        downloads.shutdownNow();
        uploads.shutdownNow();
    }
}
