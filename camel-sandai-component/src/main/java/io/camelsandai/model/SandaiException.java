package io.camelsandai.model;

/** Root of every exception this library throws on purpose; unchecked, like Camel's own. */
public class SandaiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SandaiException(String message) {
        super(message);
    }

    public SandaiException(String message, Throwable cause) {
        super(message, cause);
    }
}
