package io.camelsandai.codec;

import java.util.Set;

/** Celery task states as written to the result backend. */
public final class CeleryState {
    public static final String PENDING = "PENDING";
    public static final String RECEIVED = "RECEIVED";
    public static final String STARTED = "STARTED";
    public static final String PROGRESS = "PROGRESS";
    public static final String RETRY = "RETRY";
    public static final String SUCCESS = "SUCCESS";
    public static final String FAILURE = "FAILURE";
    public static final String REVOKED = "REVOKED";

    private static final Set<String> FINAL = Set.of(SUCCESS, FAILURE, REVOKED);

    private CeleryState() {
    }

    /** {@code SUCCESS}, {@code FAILURE} and {@code REVOKED} are final: nothing overwrites them. */
    public static boolean isFinal(String state) {
        return FINAL.contains(state);
    }
}
