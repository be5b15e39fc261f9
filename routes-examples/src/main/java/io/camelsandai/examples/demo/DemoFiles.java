package io.camelsandai.examples.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes the demo's temporary directories. */
final class DemoFiles {
    private DemoFiles() {
    }

    /** Deletes a directory tree, deepest first; what cannot be deleted is reported, not thrown. */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    System.err.println("Could not remove " + p + ": " + e);
                }
            });
        } catch (IOException e) {
            System.err.println("Could not remove " + root + ": " + e);
        }
    }
}
