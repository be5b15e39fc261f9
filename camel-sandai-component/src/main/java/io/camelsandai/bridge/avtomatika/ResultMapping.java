package io.camelsandai.bridge.avtomatika;

import java.util.LinkedHashMap;
import java.util.Map;

import io.camelsandai.bridge.CallOutcome;
import io.camelsandai.bridge.RequestMapping;

/** Operator outcomes as RXON TaskResult members ({@code status}, {@code data}, {@code error}). */
public final class ResultMapping {
    public static final String TRANSIENT_ERROR = "TRANSIENT_ERROR";
    public static final String PERMANENT_ERROR = "PERMANENT_ERROR";
    public static final String INVALID_INPUT_ERROR = "INVALID_INPUT_ERROR";
    public static final String TIMEOUT_ERROR = "TIMEOUT_ERROR";
    /** An S3 input whose size or ETag differs from {@code params_metadata} (job fails, no retry). */
    public static final String INTEGRITY_MISMATCH_ERROR = "INTEGRITY_MISMATCH_ERROR";

    private ResultMapping() {
    }

    /** The error code for a failed outcome; null for success and cancellation. */
    public static String errorCode(CallOutcome outcome) {
        return switch (outcome.kind()) {
            case SUCCESS, CANCELLED -> null;
            case FAILED, ERROR -> outcome.retryable() ? TRANSIENT_ERROR : PERMANENT_ERROR;
            case INVALID_INPUT -> S3PayloadConvention.INTEGRITY_MISMATCH.equals(outcome.errorType())
                    ? INTEGRITY_MISMATCH_ERROR : INVALID_INPUT_ERROR;
            case DEADLINE_EXCEEDED, TIMEOUT -> TIMEOUT_ERROR;
            case UNSUPPORTED -> PERMANENT_ERROR;
        };
    }

    static void apply(CallOutcome outcome, boolean cancelRequested, Map<String, Object> body) {
        if (outcome.isSuccess()) {
            body.put("status", "success");
            body.put("data", RequestMapping.toOutputs(outcome.result()));
            return;
        }
        if (outcome.kind() == CallOutcome.Kind.CANCELLED || cancelRequested) {
            body.put("status", "cancelled");
            body.put("data", Map.of());
            return;
        }
        body.put("status", "failure");
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", errorCode(outcome));
        error.put("message", outcome.message() == null ? "" : outcome.message());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", outcome.errorType());
        details.put("retryable", outcome.retryable());
        error.put("details", details);
        body.put("error", error);
    }
}
