package io.camelsandai.artifact;

import java.util.Map;

import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.Priority;
import io.camelsandai.operator.OperatorTask;

/** An OperatorTask as the runtime would build it from a received message (kwargs round-tripped like on the wire). */
record SimpleTask(String taskId, OperatorRequest request, Map<String, Object> kwargs) implements OperatorTask {

    static SimpleTask fromWire(String taskId, OperatorRequest sent) {
        Map<String, Object> kwargs = sent.toKwargs();
        return new SimpleTask(taskId, OperatorRequest.fromKwargs(kwargs), kwargs);
    }

    @Override
    public Priority priority() {
        return Priority.values()[0];
    }

    @Override
    public String queue() {
        return "test";
    }

    @Override
    public int retries() {
        return 0;
    }

    @Override
    public void progress(int percent, String message) {
        // not observed here
    }

    @Override
    public boolean isCancelled() {
        return false;
    }
}
