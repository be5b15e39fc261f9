package io.camelsandai.client;

import java.time.Duration;

/**
 * What {@link OperatorClient#probe(Duration)} found: whether a description task could be sent, whether a result came
 * back, whether it was a valid answer, how long it took, and the error if any.
 */
public record ProbeResult(boolean submitOk, boolean retrievalOk, boolean responseOk, Duration latency, String error) {

    /** Healthy when every step worked. */
    public boolean healthy() {
        return submitOk && retrievalOk && responseOk;
    }
}
