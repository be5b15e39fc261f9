package io.camelsandai.testsupport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, for failure messages (a missing file reads as a note, never throws). */
public final class LogTail {

    /** Enough for a Python traceback; a worker log can be large, only its end is read. */
    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {
    }

    public static String tail(Path file, int lines) {
        if (file == null || !Files.exists(file)) {
            return "(no file " + file + ")";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long from = Math.max(0, length - MAX_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            raf.seek(from);
            raf.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** A titled block: {@code --- title (path), last n lines ---} followed by the lines. */
    public static String block(String title, Path file, int lines) {
        return "--- " + title + " (" + file + "), last " + lines + " lines ---\n" + tail(file, lines) + "\n";
    }
}
