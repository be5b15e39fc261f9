package io.camelsandai.bridge.templates;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.camelsandai.bridge.OperatorTarget;
import io.camelsandai.client.CallOptions;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.component.SandaiConstants;
import io.camelsandai.component.SandaiOperation;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Sends operator calls into a Camel endpoint (the bridge route's {@code direct:} input) whose route ends in a
 * {@code sandai:} producer, without blocking the caller: the returned future completes from the exchange's callback.
 *
 * <p>Per call the exchange carries the request as body, the call options as the {@code CamelSandaiPriority},
 * {@code CamelSandaiTimeout}, {@code CamelSandaiCancelKey} and {@code CamelSandaiPersistentOutput} headers, and the
 * target operator in the exchange properties {@link #OPERATOR_NAME} / {@link #OPERATOR_VERSION} (for a
 * {@code toD("sandai:${exchangeProperty.CamelSandaiBridgeOperatorName}:...")}). The future completes with the
 * {@link SandaiConstants#RESULT_PROPERTY} the producer set, or exceptionally with the exchange's exception (the
 * producer's typed {@code TaskExecutionException}, {@code TaskTimeoutException}, ...).
 */
public final class SandaiRouteCaller extends ServiceSupport {
    /** Exchange property: the operator name of the call. */
    public static final String OPERATOR_NAME = "CamelSandaiBridgeOperatorName";
    /** Exchange property: the operator version of the call. */
    public static final String OPERATOR_VERSION = "CamelSandaiBridgeOperatorVersion";

    private final CamelContext context;
    private final String endpointUri;
    private AsyncProducer producer;

    public SandaiRouteCaller(CamelContext context, String endpointUri) {
        this.context = context;
        this.endpointUri = endpointUri;
    }

    public String getEndpointUri() {
        return endpointUri;
    }

    @Override
    protected void doStart() throws Exception {
        Endpoint endpoint = context.getEndpoint(endpointUri);
        producer = endpoint.createAsyncProducer();
        ServiceHelper.startService(producer);
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(producer);
        producer = null;
    }

    /** Runs {@code request} on the operator of the route (or on {@code target} for a route using toD). */
    public CompletableFuture<OperatorResult> call(OperatorTarget target, OperatorRequest request, CallOptions options) {
        return call(target, request, options, null);
    }

    /** As {@link #call(OperatorTarget, OperatorRequest, CallOptions)}, relaying the operator's PROGRESS metas. */
    public CompletableFuture<OperatorResult> call(OperatorTarget target, OperatorRequest request, CallOptions options,
                                                  Consumer<ResultMeta> progress) {
        AsyncProducer p = producer;
        if (p == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the bridge route is not started"));
        }
        Exchange exchange = p.getEndpoint().createExchange(ExchangePattern.InOut);
        exchange.getMessage().setBody(request);
        if (progress != null) {
            exchange.setProperty(SandaiConstants.PROGRESS_LISTENER_PROPERTY, progress);
        }
        if (options != null) {
            if (options.priority() != null) {
                exchange.getMessage().setHeader(SandaiConstants.PRIORITY, options.priority().wireName());
            }
            if (options.timeout() != null) {
                exchange.getMessage().setHeader(SandaiConstants.TIMEOUT, options.timeout());
            }
            if (options.cancelKey() != null) {
                exchange.getMessage().setHeader(SandaiConstants.CANCEL_KEY, options.cancelKey());
            }
            exchange.getMessage().setHeader(SandaiConstants.PERSISTENT_OUTPUT, options.persistentOutput());
        }
        return send(p, exchange, target).thenApply(SandaiRouteCaller::resultOf);
    }

    /** Sets the cancel key through the route's producer (operation {@code cancel}). */
    public CompletableFuture<Void> cancel(OperatorTarget target, String cancelKey) {
        AsyncProducer p = producer;
        if (p == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the bridge route is not started"));
        }
        Exchange exchange = p.getEndpoint().createExchange(ExchangePattern.InOut);
        exchange.getMessage().setHeader(SandaiConstants.OPERATION, SandaiOperation.cancel.name());
        exchange.getMessage().setHeader(SandaiConstants.CANCEL_KEY, cancelKey);
        return send(p, exchange, target).thenApply(e -> null);
    }

    private static CompletableFuture<Exchange> send(AsyncProducer p, Exchange exchange, OperatorTarget target) {
        if (target != null) {
            exchange.setProperty(OPERATOR_NAME, target.name());
            exchange.setProperty(OPERATOR_VERSION, target.version());
        }
        CompletableFuture<Exchange> done = new CompletableFuture<>();
        try {
            p.process(exchange, doneSync -> {
                if (exchange.getException() != null) {
                    done.completeExceptionally(exchange.getException());
                } else {
                    done.complete(exchange);
                }
            });
        } catch (Throwable e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private static OperatorResult resultOf(Exchange exchange) {
        OperatorResult result = exchange.getProperty(SandaiConstants.RESULT_PROPERTY, OperatorResult.class);
        if (result == null && exchange.getMessage().getBody() instanceof OperatorResult body) {
            result = body;
        }
        if (result == null) {
            throw new IllegalStateException("the bridge route answered no OperatorResult: it must end in a sandai: "
                                            + "producer (operation process)");
        }
        return result;
    }
}
