package io.camelsandai.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where test support writes its logs and scratch files: under the module's {@code target/}.
 *
 * <p>Surefire sets the {@code basedir} system property to the module directory; outside Maven (an
 * IDE run) the working directory is used, which IDEs also set to the module directory.
 */
public final class TestDirs {

    private TestDirs() {
    }

    /** The module's {@code target/} directory (created if missing). */
    public static Path target() {
        String base = System.getProperty("basedir", System.getProperty("user.dir"));
        return create(Paths.get(base).toAbsolutePath().resolve("target"));
    }

    /** {@code target/<name>}, created if missing. */
    public static Path dir(String name) {
        return create(target().resolve(name));
    }

    private static Path create(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
