package io.camelsandai.bridge;

import java.time.Duration;

/** A peer asked to be called again later (HTTP 429/503 with Retry-After, or a temporary refusal). */
public class RetryLaterException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    public RetryLaterException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** The wait the peer asked for; null = use the normal backoff. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
