package io.camelsandai.component;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.Suspendable;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelsandai.artifact.ArtifactSettings;
import io.camelsandai.artifact.ArtifactStores;
import io.camelsandai.artifact.StagingOperatorHandler;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.operator.OperatorHandler;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.operator.OperatorRuntimeSettings;
import io.camelsandai.operator.OperatorTask;
import io.camelsandai.util.CommaList;

/**
 * Makes a route a Sandai operator: a thin adapter over {@link OperatorRuntime}, which takes the tasks, keeps the
 * delivery guarantees and writes the results. Each task becomes an exchange (body: the {@link OperatorRequest})
 * routed asynchronously; the route's answer becomes the task's result (see {@link SandaiRouteResults}).
 */
public class SandaiConsumer extends DefaultConsumer implements Suspendable, ShutdownAware {
    private static final Logger LOG = LoggerFactory.getLogger(SandaiConsumer.class);

    private volatile OperatorRuntime runtime;

    private ArtifactStores artifactStores;
    private StagingOperatorHandler staging;

    public SandaiConsumer(SandaiEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public SandaiEndpoint getEndpoint() {
        return (SandaiEndpoint) super.getEndpoint();
    }

    /** The runtime serving the operator (null unless started). */
    public OperatorRuntime getRuntime() {
        return runtime;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        OperatorRuntime started = new OperatorRuntime(runtimeSettings(), handler());
        started.start();
        runtime = started;
        HealthCheckRepository repository = HealthCheckHelper.getHealthCheckRepository(getEndpoint().getCamelContext(),
                "consumers", HealthCheckRepository.class);
        if (repository != null) {
            SandaiConsumerHealthCheck check = new SandaiConsumerHealthCheck(this, getRouteId());
            check.setEnabled(getEndpoint().getComponent().isHealthCheckConsumerEnabled());
            setHealthCheck(check);
        }
    }

    /** The route, behind artifact staging when {@code stageArtifacts} is on. */
    private OperatorHandler handler() {
        SandaiConfiguration config = getEndpoint().getConfiguration();
        if (!config.isStageArtifacts()) {
            return this::handle;
        }
        ArtifactSettings settings = config.toArtifactSettings();
        artifactStores = ArtifactStores.standard(settings);
        staging = new StagingOperatorHandler(this::handle, artifactStores, settings,
                getEndpoint().getOperatorName(), getEndpoint().getOperatorVersion());
        return staging;
    }

    @Override
    protected void doStop() throws Exception {
        OperatorRuntime stopping = runtime;
        if (stopping != null) {
            stopping.close(); // graceful: in-flight tasks get shutdownTimeout, the rest go back to their queues
            runtime = null;
        }
        if (staging != null) {
            staging.close();
            staging = null;
        }
        if (artifactStores != null) {
            artifactStores.close();
            artifactStores = null;
        }
        setHealthCheck(null);
        super.doStop();
    }

    @Override
    protected void doSuspend() throws Exception {
        if (runtime != null) {
            runtime.suspend();
        }
    }

    @Override
    protected void doResume() throws Exception {
        if (runtime != null) {
            runtime.resume();
        }
    }

    // ---- ShutdownAware ----------------------------------------------------------------------------------------------

    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        return false;
    }

    @Override
    public int getPendingExchangesSize() {
        OperatorRuntime r = runtime;
        return r == null ? 0 : r.inFlight();
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        if (suspendOnly) {
            return;
        }
        OperatorRuntime r = runtime;
        if (r != null) {
            try {
                r.suspend(); // stop taking; in-flight tasks finish while Camel waits on getPendingExchangesSize()
            } catch (RuntimeException e) {
                LOG.debug("Could not stop taking tasks before shutdown: {}", e.toString());
            }
        }
    }

    // ---- one task -----------------------------------------------------------------------------------------------------

    private CompletionStage<OperatorResult> handle(OperatorTask task) {
        CompletableFuture<OperatorResult> result = new CompletableFuture<>();
        Exchange exchange = createExchange(false);
        try {
            prepare(exchange, task);
            getAsyncProcessor().process(exchange, doneSync -> complete(exchange, result));
        } catch (Throwable e) {
            exchange.setException(e instanceof Exception ex ? ex : new RuntimeException(e));
            complete(exchange, result);
        }
        return result;
    }

    private void prepare(Exchange exchange, OperatorTask task) {
        // A task is request-reply: a producer further down the route must wait for its answer, not fire and forget.
        exchange.setPattern(ExchangePattern.InOut);
        exchange.setProperty(SandaiConstants.TASK_PROPERTY, task);
        exchange.setProperty(SandaiConstants.KWARGS_PROPERTY, task.kwargs());
        OperatorRequest request = task.request();
        Message message = exchange.getIn();
        message.setBody(request);
        message.setHeader(SandaiConstants.TASK_ID, task.taskId());
        if (task.priority() != null) {
            message.setHeader(SandaiConstants.PRIORITY, task.priority().wireName());
        }
        if (request.meta().deadline() != null) {
            message.setHeader(SandaiConstants.DEADLINE, request.meta().deadline());
        }
        if (request.meta().cancelKey() != null) {
            message.setHeader(SandaiConstants.CANCEL_KEY, request.meta().cancelKey());
        }
        message.setHeader(SandaiConstants.PERSISTENT_OUTPUT, request.meta().persistentOutput());
        message.setHeader(SandaiConstants.RETRIES, task.retries());
        // The run span's context (or the sender's when tracing is off), under the W3C names that Camel's own
        // tracing (camel-telemetry) reads, so the route's spans continue the caller's trace.
        io.camelsandai.tracing.TraceHeaders.of(task.headers()).forEach(message::setHeader);
        Map<String, Path> localPaths = new LinkedHashMap<>();
        request.inputArtifacts().forEach(a -> {
            if (a.localPath() != null && a.slot() != null) {
                localPaths.putIfAbsent(a.slot(), a.localPath());
            }
        });
        if (!localPaths.isEmpty()) {
            message.setHeader(SandaiConstants.LOCAL_PATHS, localPaths);
        }
    }

    private void complete(Exchange exchange, CompletableFuture<OperatorResult> result) {
        try {
            result.complete(SandaiRouteResults.toResult(exchange));
        } catch (Throwable e) {
            result.completeExceptionally(e);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    // ---- settings -------------------------------------------------------------------------------------------------------

    private OperatorRuntimeSettings runtimeSettings() throws Exception {
        SandaiEndpoint endpoint = getEndpoint();
        SandaiConfiguration config = endpoint.getConfiguration();
        OperatorRuntimeSettings.Builder builder = OperatorRuntimeSettings
                .builder(endpoint.getOperatorName(), endpoint.getOperatorVersion());
        // brokerUrl=amqp(s)://... selects RabbitMQ, and resultBackendUrl=rpc:// Celery's RPC backend: the runtime
        // settings read both from the connection settings
        builder.connection(config.toOperatorSettings())
                .concurrency(config.getConcurrency())
                .prefetch(config.getPrefetch())
                .acksLate(config.isAcksLate())
                .visibilityTimeout(config.visibilityTimeoutDuration())
                .shutdownTimeout(config.shutdownTimeoutDuration())
                .deadLetterQueue(config.getDeadLetterQueue())
                .maxMessageBytes(config.getMaxMessageBytes())
                .trackStarted(config.isTrackStarted());
        if (config.getDescription() != null) {
            builder.describe("description", config.getDescription());
        }
        if (config.getInputSlots() != null) {
            builder.describe("input_slots", CommaList.split(config.getInputSlots()));
        }
        if (config.getOutputSlots() != null) {
            builder.describe("output_slots", CommaList.split(config.getOutputSlots()));
        }
        if (config.getOptionsSchema() != null) {
            builder.describe("options_schema", schema("optionsSchema", config.getOptionsSchema()));
        }
        if (config.getResultsSchema() != null) {
            builder.describe("results_schema", schema("resultsSchema", config.getResultsSchema()));
        }
        return builder.build();
    }

    /** JSON text, or a resource ({@code classpath:}, {@code file:}, ...) holding JSON. */
    private Object schema(String option, String value) throws Exception {
        String trimmed = value.trim();
        String json;
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            json = trimmed;
        } else {
            try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(getEndpoint().getCamelContext(),
                    trimmed)) {
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        try {
            return PythonJson.decode(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " is not valid JSON (" + trimmed.length() + " chars from "
                                               + (json == trimmed ? "the option" : trimmed) + "): " + e.getMessage(), e);
        }
    }
}
