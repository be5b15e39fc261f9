package io.camelsandai.operator;

import java.util.LinkedHashMap;
import java.util.Map;

import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.Priority;

/** The {@link OperatorTask} the runtime hands to a handler. */
final class RuntimeTask implements OperatorTask {
    private final TaskProcessor processor;
    private final Delivery delivery;
    private final String taskId;
    private final OperatorRequest request;
    private final Map<String, Object> kwargs;
    private final int retries;
    private final Map<String, Object> headers;

    RuntimeTask(TaskProcessor processor, Delivery delivery, String taskId, OperatorRequest request,
                Map<String, Object> kwargs, int retries, Map<String, Object> headers) {
        this.headers = headers == null ? Map.of() : headers;
        this.processor = processor;
        this.delivery = delivery;
        this.taskId = taskId;
        this.request = request;
        this.kwargs = kwargs;
        this.retries = retries;
    }

    @Override
    public String taskId() {
        return taskId;
    }

    @Override
    public OperatorRequest request() {
        return request;
    }

    @Override
    public Map<String, Object> kwargs() {
        return kwargs;
    }

    @Override
    public Priority priority() {
        return delivery.priority();
    }

    @Override
    public String queue() {
        return delivery.queue();
    }

    @Override
    public int retries() {
        return retries;
    }

    @Override
    public void progress(int percent, String message) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("progress", percent);
        result.put("message", message);
        // Queued on the same ordered writer as the final result, and the script keeps a final state anyway.
        processor.writeMeta(delivery, ResultMeta.of(taskId, CeleryState.PROGRESS, result, null));
    }

    @Override
    public Map<String, Object> headers() {
        return headers;
    }

    @Override
    public boolean isCancelled() {
        String key = request.meta().cancelKey();
        return key != null && processor.isCancelled(key);
    }

    @Override
    public String toString() {
        return "OperatorTask[" + taskId + " from " + delivery.queue() + "]";
    }
}
