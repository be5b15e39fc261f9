package io.camelsandai.bridge.runqy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.Priority;
import io.camelsandai.operator.OperatorTask;

/** An {@link OperatorTask} built by hand, standing in for the operator runtime. */
record SimpleOperatorTask(String taskId, OperatorRequest request, String queue, int retries) implements OperatorTask {

    static SimpleOperatorTask of(Map<String, Object> options) {
        return of(List.of(), options);
    }

    static SimpleOperatorTask of(List<Artifact> inputs, Map<String, Object> options) {
        return new SimpleOperatorTask(UUID.randomUUID().toString(), OperatorRequest.of(inputs, options),
                "normal.runqy-op.v1", 0);
    }

    @Override
    public Map<String, Object> kwargs() {
        return request.toKwargs();
    }

    @Override
    public Priority priority() {
        return Priority.NORMAL;
    }

    @Override
    public void progress(int percent, String message) {
        // not published in these tests
    }

    @Override
    public boolean isCancelled() {
        return false;
    }
}
