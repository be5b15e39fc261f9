package io.camelsandai.artifact;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails once more than {@code maxBytes} have been read: a size cap that holds even when no length was announced. */
final class CappedInputStream extends FilterInputStream {
    private final long maxBytes;
    private final String what;
    private long count;

    CappedInputStream(InputStream in, long maxBytes, String what) {
        super(in);
        this.maxBytes = maxBytes;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    private void add(long n) throws IOException {
        count += n;
        if (count > maxBytes) {
            throw new SizeCapExceeded(what + " is larger than the cap of " + maxBytes + " bytes");
        }
    }

    /** An IOException so it travels through stream copies; the stores turn it into a non-retryable transfer error. */
    static final class SizeCapExceeded extends IOException {
        private static final long serialVersionUID = 1L;

        SizeCapExceeded(String message) {
            super(message);
        }
    }
}
