package io.camelsandai.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Deterministic pseudo-random content of any size, generated as a stream (never held whole in memory). */
final class TestData {
    private TestData() {
    }

    /** {@code size} bytes from a seeded generator; the same seed gives the same bytes. */
    static InputStream stream(long size, long seed) {
        return new InputStream() {
            private final SplittableRandom random = new SplittableRandom(seed);
            private long remaining = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (remaining <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, remaining);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) random.nextInt(256);
                }
                remaining -= n;
                return n;
            }
        };
    }

    static Path file(Path dir, String name, long size, long seed) throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve(name);
        try (InputStream in = stream(size, seed); OutputStream out = Files.newOutputStream(p)) {
            in.transferTo(out);
        }
        return p;
    }

    static String sha256(InputStream in) throws IOException {
        try (MeasuredInputStream m = new MeasuredInputStream(in)) {
            m.transferTo(OutputStream.nullOutputStream());
            return m.sha256Hex();
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
