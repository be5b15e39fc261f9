package io.camelsandai.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.camelsandai.codec.ResultMeta;
import io.camelsandai.codec.TaskMessage;
import io.camelsandai.metrics.TaskTags;
import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.Priority;
import io.camelsandai.model.SandaiException;
import io.camelsandai.model.TaskCancelledException;
import io.camelsandai.model.TaskDeadlineExceededException;
import io.camelsandai.model.TaskExecutionException;
import io.camelsandai.model.TaskMeta;
import io.camelsandai.model.TaskTimeoutException;
import io.camelsandai.transport.Broker;
import io.camelsandai.transport.ResultBackend;
import io.camelsandai.transport.ResultSource;
import io.camelsandai.transport.Transports;
import io.camelsandai.transport.amqp.AmqpPublishers;

/**
 * Calls one Sandai operator ({@code name}, {@code version}) the way the Python {@code sandai-operator-client} does:
 * Celery protocol v2 on Redis or RabbitMQ (results from a Redis result backend or, with RabbitMQ, rpc://), priorities as
 * queues, typed errors. Thread-safe; share one per operator. Redis
 * resources are shared with other clients whose sharing key matches, and released on {@link #close()}.
 */
public final class OperatorClient implements AutoCloseable {
    private final String name;
    private final String version;
    private final OperatorSettings settings;
    private final TaskSender sender;
    private final ResultSource backend;
    private final String replyTo = UUID.randomUUID().toString();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile CompletableFuture<Map<String, Object>> cachedDescription;

    private OperatorClient(String name, String version, OperatorSettings settings) {
        if (name == null || name.isBlank() || version == null || version.isBlank()) {
            throw new IllegalArgumentException("operator name and version are required");
        }
        this.name = name;
        this.version = version;
        this.settings = settings;
        String scope = settings.sharedTransportScope() == OperatorSettings.SharingScope.PROCESS
                ? "process" : name + ":" + version;
        Transports.ResourceOptions options = new Transports.ResourceOptions(settings.poolAcquireTimeout(),
                settings.connectTimeout(), settings.resultExpiresSeconds());
        this.sender = settings.isAmqpBroker()
                ? new AmqpTaskSender(new AmqpPublishers.Key(scope, settings.amqpBrokerUrl(), settings.tls()),
                        settings.connectTimeout())
                : new RedisTaskSender(Transports.acquireBroker(new Transports.BrokerKey(scope, settings.brokerUrl(),
                        settings.tls(), settings.taskSerializer().serializerName(), settings.acceptContent(),
                        settings.brokerPoolLimit()), options), settings.durability());
        try {
            this.backend = settings.isRpcBackend()
                    ? RpcResults.open(settings, scope, replyTo)
                    : Transports.acquireBackend(new Transports.BackendKey(scope, settings.resultBackendUrl(),
                            settings.tls(), settings.resultSerializer().serializerName(), settings.acceptContent(),
                            settings.backendPoolLimit(), settings.backendPollConcurrency()), options);
        } catch (RuntimeException e) {
            sender.close();
            throw e;
        }
    }

    /** A client with settings from the {@code SANDAI_OPERATOR_*} environment and defaults. */
    public static OperatorClient create(String name, String version) {
        return new OperatorClient(name, version, OperatorSettings.fromEnvironment());
    }

    public static OperatorClient create(String name, String version, OperatorSettings settings) {
        return new OperatorClient(name, version, settings);
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public OperatorSettings settings() {
        return settings;
    }

    /** The queue of each priority: {@code <priority>.<name>.<version>}. */
    public Map<Priority, String> queueInfo() {
        Map<Priority, String> queues = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            queues.put(p, p.queueFor(name, version));
        }
        return queues;
    }

    // ---- sending --------------------------------------------------------------------------------------------

    /** Sends the task and returns once Redis has it. */
    public TaskHandle submit(OperatorRequest request, CallOptions options) {
        return TaskHandle.join(submitAsync(request, options));
    }

    /** Sends without waiting for Redis; the future completes when Redis has the task (or with the send error). */
    public CompletableFuture<TaskHandle> submitAsync(OperatorRequest request, CallOptions options) {
        TaskMessage message = buildMessage(settings.taskName(), request, options);
        return ClientObservation.sent(metricTags(options), push(message)).thenApply(v -> handle(message.id()));
    }

    private TaskMessage buildMessage(String taskName, OperatorRequest request, CallOptions options) {
        ensureOpen();
        CallOptions o = options == null ? CallOptions.DEFAULTS : options;
        Priority priority = o.priority() != null ? o.priority() : settings.defaultPriority();
        TaskMeta given = request.meta();
        // A per-call timeout sets the deadline; else a deadline the request already carries stands; else the default.
        Duration timeout = o.timeout() != null ? o.timeout() : given.deadline() == null ? settings.defaultTimeout() : null;
        Double deadline = timeout != null ? Double.valueOf(epochSecondsNow() + timeout.toNanos() / 1e9) : given.deadline();
        TaskMeta meta = new TaskMeta(deadline, o.cancelKey() != null ? o.cancelKey() : given.cancelKey(),
                o.persistentOutput() || given.persistentOutput(), priority.wireName(), given.extra());
        return TaskMessage.builder()
                .id(o.taskId() != null ? o.taskId() : UUID.randomUUID().toString())
                .taskName(taskName)
                .kwargs(request.withMeta(meta).toKwargs())
                .queue(priority.queueFor(name, version))
                .contentType(settings.taskSerializer())
                .replyTo(replyTo)
                .build();
    }

    /** {@code time.time()} with microseconds, as Python computes the deadline. */
    private static double epochSecondsNow() {
        Instant now = Instant.now();
        return now.getEpochSecond() + (now.getNano() / 1000) / 1e6;
    }

    private CompletableFuture<Void> push(TaskMessage message) {
        // tracing hook: a PRODUCER span whose context travels in the message headers
        return ClientTracing.send(message, name, version, headers -> sender.send(message, headers));
    }

    /** A handle to a task sent earlier, by id. */
    public TaskHandle handle(String taskId) {
        return new TaskHandle(taskId, backend, settings.autoForgetResult());
    }

    // ---- request / reply ------------------------------------------------------------------------------------

    /**
     * Sends and waits for the success result.
     *
     * @throws TaskTimeoutException          no final result within the timeout
     * @throws TaskExecutionException        status failed or Celery FAILURE
     * @throws TaskCancelledException        status cancelled or Celery REVOKED
     * @throws TaskDeadlineExceededException status deadline_exceeded
     */
    public OperatorResult call(OperatorRequest request, CallOptions options) {
        return TaskHandle.join(callAsync(request, options, null));
    }

    public OperatorResult call(List<Artifact> inputArtifacts, Map<String, Object> options) {
        return call(OperatorRequest.of(inputArtifacts, options), CallOptions.DEFAULTS);
    }

    /**
     * As {@link #call} without parking a thread. The subscription is in place before the task is sent, as a Celery
     * client does, so a fast result is not missed.
     */
    public CompletableFuture<OperatorResult> callAsync(OperatorRequest request, CallOptions options,
                                                      Consumer<ResultMeta> onProgress) {
        TaskMessage message;
        try {
            message = buildMessage(settings.taskName(), request, options);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Duration timeout = waitLimit(options);
        String id = message.id();
        CompletableFuture<OperatorResult> result = handle(id).awaitMeta(timeout, onProgress, false)
                .thenApply(ResultInterpreter::successOrThrow);
        TaskTags tags = metricTags(options);
        return ClientObservation.call(tags, ClientObservation.sent(tags, push(message)).thenCompose(sent -> result)
                .whenComplete(stopWaitingIfUnsent(id, result)));
    }

    /**
     * Lets go of the wait when the send failed (nobody will answer). Holds the id only, not the message: a waiting
     * call should not keep its whole task message alive.
     */
    private <T> BiConsumer<T, Throwable> stopWaitingIfUnsent(String id, CompletableFuture<?> result) {
        return (r, e) -> {
            if (e != null && !result.isDone()) {
                backend.stopWaiting(id);
            }
        };
    }

    private TaskTags metricTags(CallOptions options) {
        Priority priority = options != null && options.priority() != null ? options.priority() : settings.defaultPriority();
        return ClientObservation.tags(name, version, priority);
    }

    private Duration waitLimit(CallOptions options) {
        return options != null && options.timeout() != null ? options.timeout() : settings.defaultTimeout();
    }

    // ---- description and health -------------------------------------------------------------------------------

    /** The operator's description, fetched once per client and cached. */
    public Map<String, Object> desc() {
        return TaskHandle.join(descAsync());
    }

    public CompletableFuture<Map<String, Object>> descAsync() {
        CompletableFuture<Map<String, Object>> cached = cachedDescription;
        if (cached != null && !cached.isCompletedExceptionally()) {
            return cached;
        }
        CompletableFuture<Map<String, Object>> fresh = describe(settings.defaultTimeout());
        cachedDescription = fresh;
        return fresh;
    }

    private CompletableFuture<Map<String, Object>> describe(Duration timeout) {
        TaskMessage message;
        try {
            message = buildMessage(settings.descTaskName(), OperatorRequest.of(List.of(), Map.of()),
                    CallOptions.DEFAULTS.withPriority(Priority.NORMAL).withTimeout(timeout));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Map<String, Object>> result = handle(message.id()).awaitMeta(timeout, null, false)
                .thenApply(ResultInterpreter::description);
        return push(message).thenCompose(sent -> result).whenComplete(stopWaitingIfUnsent(message.id(), result));
    }

    /** True when a (description) task can be submitted to the broker; does not wait for an operator. */
    public boolean ping() {
        try {
            TaskMessage message = buildMessage(settings.descTaskName(), OperatorRequest.of(List.of(), Map.of()),
                    CallOptions.DEFAULTS.withPriority(Priority.NORMAL).withTimeout(Duration.ofSeconds(60)));
            push(message).join();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Sends a description task and reports each step: sent, answered, valid, and how long it took. */
    public ProbeResult probe(Duration timeout) {
        long start = System.nanoTime();
        TaskMessage message;
        try {
            message = buildMessage(settings.descTaskName(), OperatorRequest.of(List.of(), Map.of()),
                    CallOptions.DEFAULTS.withPriority(Priority.NORMAL).withTimeout(timeout));
        } catch (RuntimeException e) {
            return new ProbeResult(false, false, false, Duration.ZERO, e.getMessage());
        }
        TaskHandle handle = handle(message.id());
        CompletableFuture<ResultMeta> meta = handle.awaitMeta(timeout, null, false);
        try {
            push(message).join();
        } catch (RuntimeException e) {
            backend.stopWaiting(message.id());
            return new ProbeResult(false, false, false, Duration.ofNanos(System.nanoTime() - start),
                    rootMessage(e));
        }
        ResultMeta got;
        try {
            got = TaskHandle.join(meta);
        } catch (RuntimeException e) {
            return new ProbeResult(true, false, false, Duration.ofNanos(System.nanoTime() - start), rootMessage(e));
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        try {
            ResultInterpreter.description(got);
            return new ProbeResult(true, true, true, latency, null);
        } catch (RuntimeException e) {
            return new ProbeResult(true, true, false, latency, rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    // ---- inspection (dev console) -------------------------------------------------------------------------------

    /**
     * The ready messages of each priority queue of this operator: on Redis the list lengths (kombu priority sub-lists
     * included, one round trip), on RabbitMQ the queues' message counts.
     */
    public Map<String, Long> queueDepths() {
        return sender.queueDepths(new java.util.ArrayList<>(queueInfo().values()));
    }

    /** The workers that answer a remote-control ping within {@code timeout} (node name to reply). */
    public Map<String, Object> pingWorkers(Duration timeout) {
        return redisBroker("worker ping").call(j -> io.camelsandai.operator.control.WorkerPing.ping(j, settings.brokerUrl().database(),
                timeout));
    }

    /** Results this JVM is waiting for on this client's result backend. */
    public int resultsWaitedFor() {
        return backend.waitingCount();
    }

    /** Use of the broker connection pool. */
    public io.camelsandai.metrics.PoolStats brokerPool() {
        return redisBroker("the broker pool").poolStats();
    }

    // ---- cancellation ------------------------------------------------------------------------------------------

    /** Marks a cancel key: operators skip tasks carrying it that have not started computing. */
    public void cancel(String cancelKey) {
        cancel(cancelKey, settings.cancelTtl());
    }

    /**
     * @throws UnsupportedOperationException with {@code resultBackendUrl=rpc://}: cancel keys live on Redis (the
     *                                       broker, or the result backend with a RabbitMQ broker), and there is none
     */
    public void cancel(String cancelKey, Duration ttl) {
        if (cancelKey == null || cancelKey.isBlank()) {
            throw new IllegalArgumentException("cancel key is required");
        }
        ensureOpen();
        // On Redis the cancel key lives on the broker, as Sandai operators read it; with RabbitMQ as broker it lives
        // on the (Redis) result backend; rpc:// has no Redis at all.
        java.util.function.Function<redis.clients.jedis.Jedis, String> setex
                = j -> j.setex(settings.cancelKeyPrefix() + cancelKey, Math.max(1, ttl.toSeconds()), "1");
        if (sender instanceof RedisTaskSender redis) {
            redis.broker().call(setex);
        } else if (backend instanceof ResultBackend redisBackend) {
            redisBackend.call(setex);
        } else {
            throw new UnsupportedOperationException("cancel keys need Redis; this client has a RabbitMQ broker ("
                    + settings.brokerLocation() + ") and resultBackendUrl=rpc://, which stores nothing: set a "
                    + "redis:// result backend to cancel tasks");
        }
    }

    // ---- batches -------------------------------------------------------------------------------------------------

    /** Sends every request (pipelined); each entry has its handle or its own send error, in input order. */
    public List<SubmittedTask> batchSubmit(List<OperatorRequest> requests, CallOptions options) {
        List<CompletableFuture<TaskHandle>> sends = new ArrayList<>(requests.size());
        for (OperatorRequest request : requests) {
            CompletableFuture<TaskHandle> send;
            try {
                send = submitAsync(request, options);
            } catch (RuntimeException e) {
                send = CompletableFuture.failedFuture(e);
            }
            sends.add(send);
        }
        List<SubmittedTask> out = new ArrayList<>(sends.size());
        for (int i = 0; i < sends.size(); i++) {
            try {
                out.add(new SubmittedTask(i, TaskHandle.join(sends.get(i)), null));
            } catch (RuntimeException e) {
                out.add(new SubmittedTask(i, null, e));
            }
        }
        return out;
    }

    /** Waits for every submitted task (concurrently, sharing {@code timeout}); one failure never hides another. */
    public List<BatchTaskResult> batchCollect(List<SubmittedTask> submitted, Duration timeout) {
        List<CompletableFuture<BatchTaskResult>> outcomes = new ArrayList<>(submitted.size());
        for (SubmittedTask s : submitted) {
            if (!s.submitted()) {
                outcomes.add(CompletableFuture.completedFuture(new BatchTaskResult(s.index(), null, false, null,
                        s.submitError())));
                continue;
            }
            outcomes.add(s.handle().awaitMeta(timeout, null, true)
                    .thenApply(meta -> new BatchTaskResult(s.index(), s.taskId(), true, ResultInterpreter.toResult(meta),
                            null))
                    .exceptionally(e -> new BatchTaskResult(s.index(), s.taskId(), true, null, unwrap(e))));
        }
        List<BatchTaskResult> out = new ArrayList<>(outcomes.size());
        outcomes.forEach(f -> out.add(f.join()));
        return out;
    }

    public List<BatchTaskResult> batchCallDetailed(List<OperatorRequest> requests, CallOptions options) {
        return batchCollect(batchSubmit(requests, options), waitLimit(options));
    }

    /** The legacy form: {@code (artifacts, results)} per input, empty for any failure. */
    public List<Map.Entry<List<Artifact>, Map<String, Object>>> batchCall(List<OperatorRequest> requests,
                                                                           CallOptions options) {
        List<Map.Entry<List<Artifact>, Map<String, Object>>> out = new ArrayList<>();
        for (BatchTaskResult r : batchCallDetailed(requests, options)) {
            out.add(r.succeeded() ? Map.entry(r.artifacts(), r.results()) : Map.entry(List.of(), Map.of()));
        }
        return out;
    }

    private static Exception unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof Exception ex ? ex : new SandaiException(t.toString(), t);
    }

    // ---- lifecycle ------------------------------------------------------------------------------------------------

    /**
     * The shared Redis broker, for components that build on this client (consumers, inspection).
     *
     * @throws UnsupportedOperationException when the broker is RabbitMQ ({@link OperatorSettings#isAmqpBroker()})
     */
    public Broker broker() {
        return redisBroker("a Redis broker handle");
    }

    /** True when the broker (Redis or RabbitMQ) answers now; what health checks ask. */
    public boolean brokerAvailable() {
        try {
            return sender.ping();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Broker redisBroker(String what) {
        if (sender instanceof RedisTaskSender redis) {
            return redis.broker();
        }
        throw new UnsupportedOperationException(what + " needs a Redis broker; this client's broker is RabbitMQ ("
                                                + settings.brokerLocation() + ")");
    }

    /**
     * The shared Redis result backend.
     *
     * @throws UnsupportedOperationException with {@code resultBackendUrl=rpc://} (see {@link #results()})
     */
    public ResultBackend backend() {
        if (backend instanceof ResultBackend redis) {
            return redis;
        }
        throw new UnsupportedOperationException("this client's results come by rpc:// (RabbitMQ reply queue "
                                                + replyTo + "), not from a Redis result backend");
    }

    /** Where this client's results come from: the Redis result backend, or its rpc:// reply queue. */
    public ResultSource results() {
        return backend;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new SandaiException("OperatorClient " + name + ":" + version + " is closed");
        }
    }

    /** Releases this client's references to shared resources; the last client of a resource closes it. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            sender.close();
            if (backend instanceof ResultBackend redis) {
                Transports.releaseBackend(redis);
            } else {
                backend.close(); // the reply queue is this client's own
            }
        }
    }

    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("operator", name + ":" + version);
        shown.put("settings", settings);
        return "OperatorClient" + shown;
    }
}
