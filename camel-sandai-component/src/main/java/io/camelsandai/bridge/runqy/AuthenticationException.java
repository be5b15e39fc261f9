package io.camelsandai.bridge.runqy;

/** The runqy server answered 401: the API key is missing or unknown. */
public class AuthenticationException extends RunqyException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(401, message);
    }
}
