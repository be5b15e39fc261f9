package io.camelsandai.model;

import java.time.Duration;

/** No broker or backend connection slot became free within {@code poolAcquireTimeout}. */
public class ClientPoolTimeoutException extends SandaiException {
    private static final long serialVersionUID = 1L;

    public ClientPoolTimeoutException(String what, Duration waited) {
        super("No " + what + " connection free within " + waited.toMillis() + " ms (pool limit reached)");
    }
}
