package io.camelsandai.codec;

import io.camelsandai.model.SandaiException;

/**
 * A message whose content type is not msgpack or JSON. Named after kombu's exception so that the Celery
 * {@code FAILURE} a worker writes for it reads the same in Python.
 */
public class ContentDisallowedException extends SandaiException {
    private static final long serialVersionUID = 1L;

    private final String contentType;

    public ContentDisallowedException(String contentType) {
        super("Refusing to deserialize untrusted content of type " + contentType
              + " (accepted: application/x-msgpack, application/json)");
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }
}
