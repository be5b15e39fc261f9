package io.camelsandai.bridge.runqy;

import io.camelsandai.model.SandaiException;

/** The {@code msg} field of an asynq task hash is not a TaskMessage we can read. */
public class MalformedTaskMessageException extends SandaiException {
    private static final long serialVersionUID = 1L;

    public MalformedTaskMessageException(String message) {
        super(message);
    }
}
