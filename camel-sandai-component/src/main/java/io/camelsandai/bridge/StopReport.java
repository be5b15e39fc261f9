package io.camelsandai.bridge;

import java.util.List;

/**
 * What {@link BridgeWorker#stop()} achieved.
 *
 * @param drained          true when every in-flight call finished within the timeout
 * @param abandonedTaskIds tasks still running at the timeout (their cancel key was set and a retryable failure
 *                         reported), or taken but never started
 * @param undelivered      reports that could not be posted before the end; they were logged with their task ids
 */
public record StopReport(boolean drained, List<String> abandonedTaskIds, List<Report> undelivered) {

    public StopReport {
        abandonedTaskIds = List.copyOf(abandonedTaskIds);
        undelivered = List.copyOf(undelivered);
    }
}
