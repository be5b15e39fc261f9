package io.camelsandai.operator;

import java.util.Map;

import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.Priority;

/**
 * An {@link OperatorTask} that forwards every call to another task; subclasses override only what they change (the
 * request of a staged task, the headers of a traced one), so a method added to the interface is forwarded in one
 * place.
 */
public abstract class ForwardingOperatorTask implements OperatorTask {
    private final OperatorTask delegate;

    protected ForwardingOperatorTask(OperatorTask delegate) {
        this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
    }

    /** The task this one forwards to. */
    protected final OperatorTask delegate() {
        return delegate;
    }

    @Override
    public String taskId() {
        return delegate.taskId();
    }

    @Override
    public OperatorRequest request() {
        return delegate.request();
    }

    @Override
    public Map<String, Object> kwargs() {
        return delegate.kwargs();
    }

    @Override
    public Priority priority() {
        return delegate.priority();
    }

    @Override
    public String queue() {
        return delegate.queue();
    }

    @Override
    public int retries() {
        return delegate.retries();
    }

    @Override
    public void progress(int percent, String message) {
        delegate.progress(percent, message);
    }

    @Override
    public boolean isCancelled() {
        return delegate.isCancelled();
    }

    @Override
    public Map<String, Object> headers() {
        return delegate.headers();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
