package io.camelsandai.bridge.runqy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads {@code \n}-terminated lines of at most {@code maxLineBytes} bytes. A longer line is consumed to its end
 * (never buffered whole) and reported as {@link Line#tooLong()} with its first bytes, so a child that prints a huge
 * line costs us a bounded buffer, not the heap.
 */
final class BoundedLineReader {
    /** How many bytes of an oversize line are kept, enough to find its {@code task_id}. */
    static final int OVERSIZE_PREFIX = 4096;

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[64 * 1024];
    private int chunkPos;
    private int chunkLen;

    BoundedLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** One line read; {@code bytes} excludes the newline (and a trailing CR). */
    record Line(byte[] bytes, boolean tooLong, long length) {
    }

    /** The next line, or null at end of stream (a last line without newline is still returned). */
    Line next() throws IOException {
        byte[] buf = new byte[256];
        int len = 0;
        long total = 0;
        boolean tooLong = false;
        while (true) {
            if (chunkPos == chunkLen) {
                chunkLen = in.read(chunk);
                chunkPos = 0;
                if (chunkLen <= 0) {
                    chunkLen = 0;
                    return total == 0 && !tooLong ? null : finish(buf, len, tooLong, total);
                }
            }
            int start = chunkPos;
            int nl = -1;
            for (int i = chunkPos; i < chunkLen; i++) {
                if (chunk[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int end = nl < 0 ? chunkLen : nl;
            int n = end - start;
            total += n;
            if (!tooLong && total > maxLineBytes) {
                tooLong = true;
            }
            int limit = tooLong ? OVERSIZE_PREFIX : maxLineBytes;
            int keep = Math.max(0, Math.min(n, limit - len));
            if (keep > 0) {
                if (len + keep > buf.length) {
                    buf = Arrays.copyOf(buf, Math.max(len + keep, Math.min(limit, buf.length * 2)));
                }
                System.arraycopy(chunk, start, buf, len, keep);
                len += keep;
            }
            if (tooLong && len > OVERSIZE_PREFIX) {
                len = OVERSIZE_PREFIX;
            }
            chunkPos = nl < 0 ? chunkLen : nl + 1;
            if (nl >= 0) {
                return finish(buf, len, tooLong, total);
            }
        }
    }

    private static Line finish(byte[] buf, int len, boolean tooLong, long total) {
        if (!tooLong && len > 0 && buf[len - 1] == '\r') {
            len--;
        }
        return new Line(Arrays.copyOf(buf, len), tooLong, total);
    }
}
