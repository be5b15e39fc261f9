package io.camelsandai.bridge.templates;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import io.camelsandai.component.SandaiConstants;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.operator.ForwardingOperatorTask;
import io.camelsandai.operator.OperatorHandler;
import io.camelsandai.operator.OperatorTask;

/**
 * Runs the task of a {@code sandai:} consumer exchange on an {@link OperatorHandler} and answers with its
 * {@link io.camelsandai.model.OperatorResult} as the body. Asynchronous: no Camel thread waits for the handler; the
 * exchange completes from the handler's stage. A stage that fails becomes the exchange's exception (the consumer
 * turns it into a failed result).
 *
 * <p>The task is the {@link SandaiConstants#TASK_PROPERTY} of the exchange; when a route step before this one
 * replaced the body with another {@link OperatorRequest} (e.g. staged artifacts), that request is used.
 */
public class OperatorHandlerProcessor extends AsyncProcessorSupport {
    private final OperatorHandler handler;

    public OperatorHandlerProcessor(OperatorHandler handler) {
        this.handler = handler;
    }

    public OperatorHandler getHandler() {
        return handler;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CompletionStage<io.camelsandai.model.OperatorResult> stage;
        try {
            OperatorTask task = exchange.getProperty(SandaiConstants.TASK_PROPERTY, OperatorTask.class);
            if (task == null) {
                throw new IllegalStateException("no " + SandaiConstants.TASK_PROPERTY + " on the exchange: this "
                                                + "processor belongs after a sandai: consumer");
            }
            Object body = exchange.getMessage().getBody();
            if (body instanceof OperatorRequest request && request != task.request()) {
                task = new RequestOverride(task, request);
            }
            stage = handler.handle(task);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        stage.whenComplete((result, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                exchange.setException(cause instanceof Exception ex ? ex : new RuntimeException(cause));
            } else {
                exchange.getMessage().setBody(result);
            }
            callback.done(false);
        });
        return false;
    }

    /** The consumer's task with the request a route step put in the body. */
    private static final class RequestOverride extends ForwardingOperatorTask {
        private final OperatorRequest request;

        RequestOverride(OperatorTask task, OperatorRequest request) {
            super(task);
            this.request = request;
        }

        @Override
        public OperatorRequest request() {
            return request;
        }
    }
}
