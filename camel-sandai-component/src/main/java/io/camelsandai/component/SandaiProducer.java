package io.camelsandai.component;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.camelsandai.artifact.ArtifactSettings;
import io.camelsandai.artifact.ArtifactStores;
import io.camelsandai.artifact.StagingClient;
import io.camelsandai.client.BatchTaskResult;
import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.ResultInterpreter;
import io.camelsandai.client.TaskHandle;
import io.camelsandai.codec.Durations;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.metrics.SandaiMdc;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.model.TaskCancelledException;
import io.camelsandai.model.TaskDeadlineExceededException;
import io.camelsandai.model.TaskExecutionException;
import io.camelsandai.model.TaskStatus;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the endpoint's operator. Waiting for a result never parks a Camel thread: the client's futures complete the
 * exchange. Operations that block on Redis by nature (ping, probe, cancel) run on a small pool of this producer.
 */
public class SandaiProducer extends DefaultAsyncProducer {
    private static final Logger LOG = LoggerFactory.getLogger(SandaiProducer.class);
    private static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final SandaiEndpoint endpoint;
    private OperatorClient client;
    /** Present when uploadInputs or downloadOutputs is set. */
    private StagingClient staging;
    private ArtifactStores artifactStores;
    private ExecutorService blockingOps;
    private SandaiProducerHealthCheck healthCheck;
    private WritableHealthCheckRepository healthCheckRepository;

    public SandaiProducer(SandaiEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public SandaiEndpoint getEndpoint() {
        return endpoint;
    }

    /** The client of this producer (null unless started). */
    public OperatorClient getClient() {
        return client;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        client = OperatorClient.create(endpoint.getOperatorName(), endpoint.getOperatorVersion(),
                endpoint.getConfiguration().toOperatorSettings());
        SandaiConfiguration config = endpoint.getConfiguration();
        if (config.isUploadInputs() || config.getDownloadOutputs() != null) {
            ArtifactSettings settings = config.toArtifactSettings();
            artifactStores = ArtifactStores.standard(settings);
            staging = new StagingClient(client, artifactStores, settings);
        }
        blockingOps = getEndpoint().getCamelContext().getExecutorServiceManager().newDefaultThreadPool(this,
                "SandaiProducer[" + endpoint.getOperatorName() + ":" + endpoint.getOperatorVersion() + "]");
        healthCheckRepository = HealthCheckHelper.getHealthCheckRepository(getEndpoint().getCamelContext(), "producers",
                WritableHealthCheckRepository.class);
        if (healthCheckRepository != null) {
            healthCheck = new SandaiProducerHealthCheck(client, "producer:sandai-" + endpoint.getOperatorName() + "-"
                                                                + endpoint.getOperatorVersion() + "-"
                                                                + INSTANCES.incrementAndGet());
            healthCheck.setEnabled(endpoint.getComponent().isHealthCheckProducerEnabled());
            healthCheckRepository.addHealthCheck(healthCheck);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (healthCheckRepository != null && healthCheck != null) {
            healthCheckRepository.removeHealthCheck(healthCheck);
            healthCheck = null;
        }
        if (blockingOps != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(blockingOps);
            blockingOps = null;
        }
        if (staging != null) {
            staging.close();
            staging = null;
        }
        if (artifactStores != null) {
            artifactStores.close();
            artifactStores = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CompletableFuture<?> work;
        try {
            work = start(exchange);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        work.whenComplete((ignored, error) -> {
            if (error != null) {
                exchange.setException(unwrap(error));
            }
            callback.done(false);
        });
        return false;
    }

    private CompletableFuture<?> start(Exchange exchange) {
        SandaiOperation operation = operation(exchange.getMessage());
        CallOptions options;
        switch (operation) {
            case process:
                options = callOptions(exchange);
                OperatorRequest request = SandaiRequests.toRequest(exchange.getMessage().getBody());
                return exchange.getPattern().isOutCapable() ? call(exchange, request, options)
                        : send(exchange, request, options);
            case batch:
                return batch(exchange, SandaiRequests.toRequests(exchange.getMessage().getBody()), callOptions(exchange));
            case desc:
                return client.descAsync().thenAccept(desc -> exchange.getMessage().setBody(desc));
            case ping:
                return blocking(() -> exchange.getMessage().setBody(client.ping()));
            case probe:
                Duration timeout = timeout(exchange);
                return blocking(() -> exchange.getMessage().setBody(
                        client.probe(timeout != null ? timeout : DEFAULT_PROBE_TIMEOUT)));
            case cancel:
                String cancelKey = cancelKey(exchange.getMessage());
                if (cancelKey == null || cancelKey.isBlank()) {
                    throw new IllegalArgumentException("the cancel operation needs a cancel key: set the cancelKey "
                                                       + "option or the " + SandaiConstants.CANCEL_KEY + " header");
                }
                return blocking(() -> client.cancel(cancelKey));
            default:
                throw new IllegalArgumentException("unknown operation " + operation);
        }
    }

    private CompletableFuture<Void> blocking(Runnable action) {
        return CompletableFuture.runAsync(action, blockingOps);
    }

    // ---- process --------------------------------------------------------------------------------------------------

    private CompletableFuture<?> call(Exchange exchange, OperatorRequest request, CallOptions options) {
        if (staging == null) {
            return callOperator(exchange, request, options);
        }
        // Uploads and downloads are blocking I/O: they run on the producer's pool, never on the caller's thread.
        SandaiConfiguration config = endpoint.getConfiguration();
        CompletableFuture<OperatorRequest> staged = config.isUploadInputs()
                ? CompletableFuture.supplyAsync(() -> staging.uploadInputs(request), blockingOps)
                : CompletableFuture.completedFuture(request);
        CompletableFuture<?> called = staged.thenCompose(r -> callOperator(exchange, r, options));
        if (config.getDownloadOutputs() == null) {
            return called;
        }
        return called.thenApplyAsync(ignored -> {
            OperatorResult result = exchange.getProperty(SandaiConstants.RESULT_PROPERTY, OperatorResult.class);
            List<Artifact> local = staging.downloadOutputs(result,
                    Path.of(config.getDownloadOutputs()));
            OperatorResult withPaths = new OperatorResult(result.status(), local, result.results(), result.error());
            exchange.setProperty(SandaiConstants.RESULT_PROPERTY, withPaths);
            exchange.getMessage().setBody(SandaiReplies.replyBody(withPaths));
            Map<String, Path> bySlot = new LinkedHashMap<>();
            local.forEach(a -> bySlot.putIfAbsent(a.slot(), a.localPath()));
            exchange.getMessage().setHeader(SandaiConstants.LOCAL_PATHS, bySlot);
            return withPaths;
        }, blockingOps);
    }

    private CompletableFuture<?> callOperator(Exchange exchange, OperatorRequest request, CallOptions options) {
        String taskId = UUID.randomUUID().toString();
        AtomicReference<ResultMeta> lastProgress = new AtomicReference<>();
        // The task id goes into the MDC for the send, so log lines of this call carry it, as on the consumer side.
        try (SandaiMdc.Scope mdc = SandaiMdc.taskId(taskId)) {
            return client.callAsync(request, options.withTaskId(taskId), progress -> {
                LOG.debug("Task {} progress: {}", taskId, progress.result());
                lastProgress.set(progress);
                relayProgress(exchange, progress);
            }).handle((result, error) -> {
                Message message = exchange.getMessage();
                message.setHeader(SandaiConstants.TASK_ID, taskId);
                applyProgress(message, lastProgress.get());
                if (error != null) {
                    Throwable cause = unwrap(error);
                    TaskStatus status = statusOf(cause);
                    if (status != null) {
                        message.setHeader(SandaiConstants.STATUS, status.wireName());
                    }
                    throw new CompletionException(cause);
                }
                exchange.setProperty(SandaiConstants.RESULT_PROPERTY, result);
                message.setHeader(SandaiConstants.STATUS, result.status().wireName());
                message.setBody(SandaiReplies.replyBody(result));
                return result;
            });
        }
    }

    private CompletableFuture<?> send(Exchange exchange, OperatorRequest request, CallOptions options) {
        if (staging != null && endpoint.getConfiguration().isUploadInputs()) {
            // InOnly stages its inputs too; the upload is blocking I/O, so it runs on the producer's pool.
            return CompletableFuture.supplyAsync(() -> staging.uploadInputs(request), blockingOps)
                    .thenCompose(staged -> client.submitAsync(staged, options))
                    .thenAccept(handle -> exchange.getMessage().setHeader(SandaiConstants.TASK_ID, handle.id()));
        }
        return client.submitAsync(request, options)
                .thenAccept(handle -> exchange.getMessage().setHeader(SandaiConstants.TASK_ID, handle.id()));
    }

    @SuppressWarnings("unchecked")
    private static void relayProgress(Exchange exchange, ResultMeta progress) {
        Object listener = exchange.getProperty(SandaiConstants.PROGRESS_LISTENER_PROPERTY);
        if (listener instanceof Consumer<?> consumer) {
            try {
                ((Consumer<ResultMeta>) consumer).accept(progress);
            } catch (RuntimeException e) {
                LOG.debug("progress listener failed: {}", e.toString()); // never breaks the wait for the result
            }
        }
    }

    private static void applyProgress(Message message, ResultMeta progress) {
        if (progress != null && progress.result() instanceof Map<?, ?> meta) {
            if (meta.get("progress") instanceof Number percent) {
                message.setHeader(SandaiConstants.PROGRESS, percent.intValue());
            }
            if (meta.get("message") != null) {
                message.setHeader(SandaiConstants.PROGRESS_MESSAGE, String.valueOf(meta.get("message")));
            }
        }
    }

    private static TaskStatus statusOf(Throwable error) {
        if (error instanceof TaskExecutionException) {
            return TaskStatus.FAILED;
        }
        if (error instanceof TaskCancelledException) {
            return TaskStatus.CANCELLED;
        }
        if (error instanceof TaskDeadlineExceededException) {
            return TaskStatus.DEADLINE_EXCEEDED;
        }
        return null;
    }

    // ---- batch ----------------------------------------------------------------------------------------------------

    /** Sends every request, then waits for all of them at once; one failure never hides another. */
    private CompletableFuture<?> batch(Exchange exchange, List<OperatorRequest> requests, CallOptions options) {
        List<CompletableFuture<BatchTaskResult>> outcomes = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            outcomes.add(batchEntry(i, requests.get(i), options));
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenRun(() -> {
            List<BatchTaskResult> results = new ArrayList<>(outcomes.size());
            outcomes.forEach(f -> results.add(f.join()));
            exchange.setProperty(SandaiConstants.RESULT_PROPERTY, results);
            exchange.getMessage().setBody(SandaiReplies.batchBody(results));
        });
    }

    private CompletableFuture<BatchTaskResult> batchEntry(int index, OperatorRequest request, CallOptions options) {
        CompletableFuture<TaskHandle> sent;
        try {
            sent = client.submitAsync(request, options);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((handle, sendError) -> {
            if (sendError != null) {
                return CompletableFuture.completedFuture(new BatchTaskResult(index, null, false, null,
                        asException(unwrap(sendError))));
            }
            return handle.awaitMeta(options.timeout(), null, true)
                    .thenApply(meta -> new BatchTaskResult(index, handle.id(), true, ResultInterpreter.toResult(meta), null))
                    .exceptionally(e -> new BatchTaskResult(index, handle.id(), true, null, asException(unwrap(e))));
        }).thenCompose(f -> f);
    }

    // ---- per-message options -------------------------------------------------------------------------------------

    private SandaiOperation operation(Message message) {
        Object header = message.getHeader(SandaiConstants.OPERATION);
        if (header == null) {
            return endpoint.getConfiguration().getOperation();
        }
        if (header instanceof SandaiOperation op) {
            return op;
        }
        try {
            return SandaiOperation.valueOf(String.valueOf(header).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid " + SandaiConstants.OPERATION + " '" + header
                                               + "': expected one of process, desc, ping, probe, cancel, batch");
        }
    }

    private CallOptions callOptions(Exchange exchange) {
        Message message = exchange.getMessage();
        SandaiConfiguration config = endpoint.getConfiguration();
        Object priorityHeader = message.getHeader(SandaiConstants.PRIORITY);
        Priority priority = priorityHeader instanceof Priority p ? p
                : Priority.parse(priorityHeader != null ? String.valueOf(priorityHeader) : config.getPriority());
        Boolean persistentHeader = message.getHeader(SandaiConstants.PERSISTENT_OUTPUT, Boolean.class);
        boolean persistent = persistentHeader != null ? persistentHeader : config.isPersistentOutput();
        return new CallOptions(priority, timeout(exchange), cancelKey(message), persistent, null);
    }

    /** The header wins: a Duration, a number of seconds, or text read by {@link Durations}. */
    private Duration timeout(Exchange exchange) {
        Object header = exchange.getMessage().getHeader(SandaiConstants.TIMEOUT);
        return header != null ? Durations.fromObject(SandaiConstants.TIMEOUT, header)
                : endpoint.getConfiguration().timeoutDuration();
    }

    private String cancelKey(Message message) {
        String header = message.getHeader(SandaiConstants.CANCEL_KEY, String.class);
        return header != null ? header : endpoint.getConfiguration().getCancelKey();
    }

    // ---- errors -----------------------------------------------------------------------------------------------------

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException)
               && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static Exception asException(Throwable t) {
        return t instanceof Exception e ? e : new RuntimeException(t);
    }
}
