package io.camelsandai.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes artifacts of one or more URI schemes ({@code s3}, {@code file}, {@code http(s)}, or a custom one
 * registered in {@link ArtifactStores}). Every method streams: no implementation holds a whole object in memory.
 * Failures are {@link ArtifactNotFoundException}, {@link ArtifactAccessDeniedException} or
 * {@link ArtifactTransferException}.
 */
public interface ArtifactStore extends AutoCloseable {

    /** Opens the object for reading; the caller closes the stream (which also frees any transfer slot it held). */
    InputStream openRead(URI uri);

    /**
     * Writes the object from a stream, computing size and sha256 while the bytes pass.
     *
     * @param size        the exact length when known, else -1
     * @param contentType MIME type to record, or null for {@code application/octet-stream}
     */
    StoredArtifact write(URI uri, InputStream content, long size, String contentType);

    /** Writes the object from a local file (one read of the file, digest computed on the way). */
    default StoredArtifact write(URI uri, Path file, String contentType) {
        try (InputStream in = Files.newInputStream(file)) {
            return write(uri, in, Files.size(file), contentType);
        } catch (IOException e) {
            throw new ArtifactTransferException("cannot read local file " + file + ": " + e.getMessage(), false, e);
        }
    }

    ArtifactStat stat(URI uri);

    /** Deletes the object; deleting a missing object is not an error. */
    void delete(URI uri);

    @Override
    default void close() {
        // most stores hold nothing
    }
}
