package io.camelsandai.artifact;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Frees a transfer slot when the stream is closed, once. When the reader stops before the end, {@code abort} runs
 * first so the connection is dropped instead of drained (draining a 1 GiB body to reuse a socket is a bad deal).
 */
final class ReleasingInputStream extends FilterInputStream {
    private final Runnable abort;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean reachedEnd;

    ReleasingInputStream(InputStream in, Runnable abort, Runnable release) {
        super(in);
        this.abort = abort;
        this.release = release;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        reachedEnd |= b < 0;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        reachedEnd |= n < 0;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!reachedEnd && abort != null) {
                abort.run();
            }
            super.close();
        } finally {
            release.run();
        }
    }
}
