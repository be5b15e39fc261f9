package io.camelsandai.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code file:///abs/path} artifacts, confined to {@code allowedRoots}: a task arriving from the network must not
 * read {@code /etc/passwd}. Refused with {@link ArtifactAccessDeniedException}: no roots configured, a relative path,
 * any {@code ..} segment, a host part, and any path whose real location (symlinks resolved) is outside every root.
 */
public final class FileArtifactStore implements ArtifactStore {
    private final List<Path> allowedRoots;

    public FileArtifactStore(List<Path> allowedRoots) {
        this.allowedRoots = List.copyOf(allowedRoots);
    }

    @Override
    public InputStream openRead(URI uri) {
        Path path = existingPath(uri);
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new ArtifactNotFoundException("no such file: " + uri, e);
        } catch (IOException e) {
            throw new ArtifactTransferException("cannot read " + uri + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public StoredArtifact write(URI uri, InputStream content, long size, String contentType) {
        Path target = writablePath(uri);
        // Write beside the target and move at the end so a reader never sees half a file.
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        MeasuredInputStream measured = new MeasuredInputStream(content);
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                measured.transferTo(out);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new ArtifactTransferException("cannot write " + uri + ": " + e.getMessage(), false, e);
        }
        return new StoredArtifact(uri, measured.count(), measured.sha256Hex(),
                contentType != null ? contentType : ContentTypes.guess(target.getFileName().toString()));
    }

    @Override
    public ArtifactStat stat(URI uri) {
        Path path;
        try {
            path = existingPath(uri);
        } catch (ArtifactNotFoundException e) {
            return ArtifactStat.MISSING;
        }
        try {
            return new ArtifactStat(true, Files.size(path), ContentTypes.guess(path.getFileName().toString()));
        } catch (IOException e) {
            throw new ArtifactTransferException("cannot stat " + uri + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public void delete(URI uri) {
        try {
            Files.deleteIfExists(existingPath(uri));
        } catch (ArtifactNotFoundException e) {
            // already gone
        } catch (IOException e) {
            throw new ArtifactTransferException("cannot delete " + uri + ": " + e.getMessage(), false, e);
        }
    }

    /** The lexical path after the syntax checks; not yet checked against the roots. */
    Path lexicalPath(URI uri) {
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw new ArtifactAccessDeniedException("not a file URI: " + uri);
        }
        if (allowedRoots.isEmpty()) {
            throw new ArtifactAccessDeniedException("file artifacts are disabled (no allowed roots): " + uri);
        }
        if (uri.isOpaque() || uri.getRawPath() == null || !uri.getRawPath().startsWith("/")) {
            throw new ArtifactAccessDeniedException("file URI must name an absolute path (file:///abs/path): " + uri);
        }
        if (uri.getHost() != null && !uri.getHost().isEmpty() && !"localhost".equalsIgnoreCase(uri.getHost())) {
            throw new ArtifactAccessDeniedException("file URI must not name a remote host: " + uri);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ArtifactAccessDeniedException("file URI must not carry a query or fragment: " + uri);
        }
        String decoded = uri.getPath();
        for (String segment : decoded.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new ArtifactAccessDeniedException("file URI must not contain '.' or '..' segments: " + uri);
            }
        }
        if (decoded.indexOf('\0') >= 0) {
            throw new ArtifactAccessDeniedException("file URI contains a NUL byte");
        }
        Path path = Path.of(decoded);
        if (!path.isAbsolute()) {
            throw new ArtifactAccessDeniedException("file URI must name an absolute path: " + uri);
        }
        return path;
    }

    /** An existing file whose real path (links resolved) lies below a root's real path. */
    Path existingPath(URI uri) {
        Path lexical = lexicalPath(uri);
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            // Do not reveal whether a path outside the roots exists.
            requireLexicallyUnderRoot(lexical, uri);
            throw new ArtifactNotFoundException("no such file: " + uri, e);
        } catch (AccessDeniedException e) {
            throw new ArtifactAccessDeniedException("permission denied: " + uri, e);
        } catch (IOException e) {
            throw new ArtifactTransferException("cannot resolve " + uri + ": " + e.getMessage(), false, e);
        }
        requireUnderRoot(real, uri);
        if (!Files.isRegularFile(real)) {
            throw new ArtifactNotFoundException("not a regular file: " + uri);
        }
        return real;
    }

    /** A target whose nearest existing ancestor is really below a root; missing parent directories are created. */
    Path writablePath(URI uri) {
        Path lexical = lexicalPath(uri);
        requireLexicallyUnderRoot(lexical, uri);
        Path existing = lexical.getParent();
        List<Path> missing = new ArrayList<>();
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            missing.add(existing);
            existing = existing.getParent();
        }
        try {
            Path realAncestor = existing == null ? null : existing.toRealPath();
            if (realAncestor == null) {
                throw new ArtifactAccessDeniedException("no existing ancestor for " + uri);
            }
            Path realParent = realAncestor;
            for (int i = missing.size() - 1; i >= 0; i--) {
                realParent = realParent.resolve(missing.get(i).getFileName());
            }
            requireUnderRoot(realParent, uri);
            Files.createDirectories(realParent);
            Path target = realParent.resolve(lexical.getFileName());
            if (Files.isSymbolicLink(target)) {
                // Replacing a link is allowed only when the link itself points inside a root.
                requireUnderRoot(target.toRealPath(), uri);
            }
            return target;
        } catch (IOException e) {
            throw new ArtifactTransferException("cannot prepare " + uri + ": " + e.getMessage(), false, e);
        }
    }

    /** A real path (links resolved) must lie below the real path of a root. */
    private void requireUnderRoot(Path realPath, URI uri) {
        for (Path root : allowedRoots) {
            if (realPath.startsWith(realOrSelf(root))) {
                return;
            }
        }
        throw new ArtifactAccessDeniedException("file outside the allowed roots: " + uri);
    }

    /** A first, lexical screen, before touching the file system. */
    private void requireLexicallyUnderRoot(Path lexical, URI uri) {
        for (Path root : allowedRoots) {
            if (lexical.startsWith(root) || lexical.startsWith(realOrSelf(root))) {
                return;
            }
        }
        throw new ArtifactAccessDeniedException("file outside the allowed roots: " + uri);
    }

    private static Path realOrSelf(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the partial file is garbage either way
        }
    }

    @Override
    public String toString() {
        return "FileArtifactStore" + allowedRoots;
    }
}
