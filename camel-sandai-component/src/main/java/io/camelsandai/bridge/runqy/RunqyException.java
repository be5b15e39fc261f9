package io.camelsandai.bridge.runqy;

import io.camelsandai.model.SandaiException;

/** A runqy server call failed: {@code HTTP <code>: <body>} or {@code Connection error: ...}, as runqy-python says. */
public class RunqyException extends SandaiException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public RunqyException(int status, String message) {
        super(message);
        this.status = status;
    }

    public RunqyException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, or 0 when the server was not reached. */
    public int status() {
        return status;
    }
}
