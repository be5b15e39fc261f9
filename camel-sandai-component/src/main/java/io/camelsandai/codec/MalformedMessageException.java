package io.camelsandai.codec;

import io.camelsandai.model.SandaiException;

/** Bytes that are not a well-formed Celery envelope, body or result. The message says what was wrong, not the bytes. */
public class MalformedMessageException extends SandaiException {
    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
