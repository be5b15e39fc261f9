package io.camelsandai.bridge.runqy;

import io.camelsandai.model.SandaiException;

/** A runqy handler process could not be started or stopped answering: the message says which and why. */
public class RunqyHandlerException extends SandaiException {
    private static final long serialVersionUID = 1L;

    public RunqyHandlerException(String message) {
        super(message);
    }

    public RunqyHandlerException(String message, Throwable cause) {
        super(message, cause);
    }
}
