package io.camelsandai.operator;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.ContentDisallowedException;
import io.camelsandai.codec.EnvelopeScan;
import io.camelsandai.codec.MalformedMessageException;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.codec.TaskEnvelope;
import io.camelsandai.codec.Utf8Text;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskError;
import io.camelsandai.model.TaskMeta;
import io.camelsandai.model.TaskStatus;
import io.camelsandai.operator.control.ActiveTask;
import io.camelsandai.operator.control.WorkerState;
import io.camelsandai.model.BrokerUnavailableException;
import io.camelsandai.transport.InfrastructureFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What happens to one taken message, from the size check to the result write and ack. Every path ends in exactly
 * one of: result written and acked, refused with a result and acked, or moved to the dead-letter list; whatever
 * goes wrong in our own code ends as a Celery {@code FAILURE} rather than a stuck task.
 */
final class TaskProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(TaskProcessor.class);
    static final String MDC_TASK_ID = "sandaiTaskId";

    private final OperatorRuntimeSettings settings;
    private final OperatorHandler handler;
    private final TaskLedger ledger;
    private final Semaphore running;
    private final EtaHolds etaHolds;
    private final Consumer<Delivery> onSettled;
    private final WorkerState workerState;
    private final Consumer<Delivery> onRetry;
    private final Consumer<Delivery> onHandlerDone;
    private final java.util.concurrent.ScheduledExecutorService retries =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sandai-task-retry");
                t.setDaemon(true);
                return t;
            });
    private volatile boolean stopping;

    TaskProcessor(OperatorRuntimeSettings settings, OperatorHandler handler, TaskLedger ledger, EtaHolds etaHolds,
                  Consumer<Delivery> onSettled, WorkerState workerState, Consumer<Delivery> onRetry,
                  Consumer<Delivery> onHandlerDone) {
        this.onRetry = onRetry;
        this.onHandlerDone = onHandlerDone;
        this.settings = settings;
        this.handler = handler;
        this.ledger = ledger;
        this.running = new Semaphore(settings.concurrency());
        this.etaHolds = etaHolds;
        this.onSettled = onSettled;
        this.workerState = workerState;
    }

    /**
     * Remote control: {@code d} was taken (or its eta came) and waits for a task thread; it is read only if somebody
     * runs {@code inspect reserved} before it starts.
     */
    void reserve(Delivery d) {
        workerState.reserved(d.tag(), () -> reservedInfo(d));
    }

    /** The task as {@code inspect reserved} lists it; null for a message that would be refused. */
    private ActiveTask reservedInfo(Delivery d) {
        try {
            if (d.oversize() != null || d.raw().length > settings.maxMessageBytes()) {
                return null;
            }
            TaskEnvelope envelope = d.decoded() != null ? d.decoded() : TaskEnvelope.parseUtf8(d.raw());
            if (envelope == null || envelope.taskId() == null) {
                return null;
            }
            return ActiveTask.starting(envelope, envelope.decodeBody(), d.queue(), d.state().acked);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Runs on an executor thread; never throws. */
    void process(Delivery d) {
        MDC.put(MDC_TASK_ID, "?");
        try {
            processChecked(d);
        } catch (Throwable t) {
            if (InfrastructureFailures.isInfrastructure(t)) {
                retryLater(d, t);
            } else {
                brokenInvariant(d, t);
            }
        } finally {
            MDC.remove(MDC_TASK_ID);
        }
    }

    /** Stops the retries of {@link #retryLater}: at close the runtime returns what is left to the queues. */
    void stopRetrying() {
        stopping = true;
        retries.shutdownNow();
    }

    /**
     * Redis failed us before the task ran: that is no task outcome. The task stays in flight (kombu's unacked hash,
     * its index score kept fresh by the heartbeat) and is processed again from the top after a bounded back-off.
     */
    private void retryLater(Delivery d, Throwable t) {
        long delay = d.state().retry.nextDelayMillis();
        LOG.warn("Redis unavailable while starting task {} ({}); kept in flight, retried in {} ms", d.state().taskId,
                CeleryFailures.javaMessage(t), delay);
        if (stopping) {
            return; // the runtime returns unsettled tasks to their queues at close
        }
        try {
            retries.schedule(() -> onRetry.accept(d), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("runtime stopping; task {} is returned to its queue", d.state().taskId);
        }
    }

    private void processChecked(Delivery d) {
        if (d.oversize() != null) {
            answerDeadLetteredOversize(d, d.oversize());
            return;
        }
        if (d.raw().length > settings.maxMessageBytes()) {
            // on RabbitMQ; on Redis only a non-ASCII one (take.lua dead-letters the others without returning them)
            // up to 4x the limit the envelope is parsed for its task id; beyond, only scanned (no copy as text)
            String taskId = d.decoded() != null ? d.decoded().taskId()
                    : d.raw().length <= 4 * settings.maxMessageBytes() ? readTaskId(d)
                    : EnvelopeScan.taskId(d.raw());
            String reason = tooLarge(d.raw().length);
            refuse(d, taskId, failedMeta(taskId, new TaskError("MessageTooLarge", reason, false)), reason);
            return;
        }
        TaskEnvelope envelope = d.decoded();
        if (envelope == null) {
            try {
                envelope = TaskEnvelope.parseUtf8(d.raw());
            } catch (MalformedMessageException e) {
                refuse(d, null, null, "invalid envelope: " + e.getMessage());
                return;
            }
            if (envelope == null) {
                refuse(d, null, null, "message is not valid UTF-8 text");
                return;
            }
        }
        String taskId = envelope.taskId();
        d.state().taskId = taskId;
        if (taskId != null) {
            MDC.put(MDC_TASK_ID, taskId);
        }
        if (taskId == null) {
            refuse(d, null, null, "envelope carries no task id");
            return;
        }
        // take.lua finds the tag by a text scan; one that is not properties.delivery_tag is no usable tag either
        // (a message read by its transport is acked by the transport's own tag)
        if (d.decoded() == null && (!d.inUnacked() || !d.tag().equals(envelope.deliveryTag()))) {
            String reason = "envelope has no usable properties.delivery_tag";
            refuse(d, taskId, decodeErrorMeta(taskId, reason), reason);
            return;
        }
        if (workerState.isRevoked(taskId)) {
            answerRevoked(d, taskId);
            return;
        }
        TaskEnvelope.TaskBody body;
        try {
            body = envelope.decodeBody();
        } catch (ContentDisallowedException e) {
            LOG.warn("refusing task {}: content type {} is not accepted", taskId, e.contentType());
            answer(d, failureMeta(taskId, "ContentDisallowed", "kombu.exceptions", e.getMessage()));
            return;
        } catch (MalformedMessageException e) {
            refuse(d, taskId, decodeErrorMeta(taskId, e.getMessage()), "undecodable body: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            String reason = "undecodable body: " + e.getClass().getSimpleName();
            refuse(d, taskId, decodeErrorMeta(taskId, reason), reason);
            return;
        }
        String name = envelope.taskName();
        if (settings.connection().descTaskName().equals(name)) {
            answer(d, ResultMeta.of(taskId, CeleryState.SUCCESS, describe(), null));
            return;
        }
        if (!settings.connection().taskName().equals(name)) {
            LOG.warn("task {} names unregistered task {}", taskId, name);
            answer(d, failureMeta(taskId, "NotRegistered", "celery.exceptions", String.valueOf(name)));
            return;
        }
        OperatorRequest request;
        try {
            request = OperatorRequest.fromKwargs(body.kwargs());
        } catch (RuntimeException e) {
            String reason = "invalid request: " + e.getMessage();
            refuse(d, taskId, failedMeta(taskId, new TaskError("InvalidRequest", e.getMessage(), false)), reason);
            return;
        }
        OffsetDateTime eta;
        Instant expires;
        try {
            eta = envelope.etaWithOffset();
            expires = envelope.expires();
        } catch (MalformedMessageException e) {
            // Celery 5.2 raises InvalidTaskError here and discards the message without a result; we also answer,
            // so that the caller fails at once instead of waiting for a result that never comes
            refuse(d, taskId, failureMeta(taskId, "InvalidTaskError", "celery.exceptions", e.getMessage()),
                    e.getMessage());
            return;
        }
        if (isExpired(expires)) {
            revokeExpired(d, taskId, expires);
            return;
        }
        if (eta != null && eta.toInstant().isAfter(Instant.now())) {
            // processed again from the top when the eta comes: expiry and the controls are checked then
            workerState.scheduled(d.tag(), eta, ActiveTask.starting(envelope, body, d.queue(), false));
            etaHolds.hold(d, eta.toInstant());
            return;
        }
        if (!settings.acksLate()) {
            ackNow(d); // like Celery, an eta task is acked when it starts, not when it is put on hold
        }
        OperatorResult early = checkControls(request.meta());
        if (early != null) {
            answer(d, resultMeta(taskId, early));
            return;
        }
        run(d, new RuntimeTask(this, d, taskId, request, body.kwargs(), envelope.retries(),
                envelope.headers()), expires,
                ActiveTask.starting(envelope, body, d.queue(), !settings.acksLate()));
    }

    private static boolean isExpired(Instant expires) {
        return expires != null && Instant.now().isAfter(expires);
    }

    /** What the Celery worker does with a task taken or started after its {@code expires}: REVOKED, acked, not run. */
    private void revokeExpired(Delivery d, String taskId, Instant expires) {
        LOG.info("task {} expired at {}; revoked without running", taskId, expires);
        answer(d, revokedMeta(taskId, "expired"));
    }

    private void run(Delivery d, RuntimeTask task, Instant expires, ActiveTask active) {
        try {
            running.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // only on halt: the delivery stays recorded and is restored later
        }
        boolean handed = false;
        try {
            if (isExpired(expires)) { // it may have waited for a slot past its expiry
                revokeExpired(d, task.taskId(), expires);
                return;
            }
            if (workerState.isRevoked(task.taskId())) { // revoked while it waited for a free slot
                answerRevoked(d, task.taskId());
                return;
            }
            if (settings.trackStarted()) {
                Map<String, Object> started = new LinkedHashMap<>();
                started.put("pid", ProcessHandle.current().pid());
                started.put("hostname", settings.workerName());
                writeMeta(d, ResultMeta.of(task.taskId(), CeleryState.STARTED, started, null));
            }
            OperatorResult late = checkControls(task.request().meta());
            if (late != null) {
                answer(d, resultMeta(task.taskId(), late));
                return;
            }
            RuntimeObservation observation = RuntimeObservation.started(settings, d); // metrics hook
            CompletionStage<OperatorResult> stage;
            workerState.started(d.tag(), active); // remote control: inspect active / reserved / stats
            try {
                stage = handler.handle(task);
            } catch (Throwable t) {
                stage = CompletableFuture.failedFuture(t);
            }
            if (stage == null) {
                stage = CompletableFuture.failedFuture(new IllegalStateException("handler returned no result stage"));
            }
            handed = true;
            BiConsumer<OperatorResult, Throwable> finished = (result, error) -> {
                running.release();
                onHandlerDone.accept(d); // the slot is free while the result is written
                workerState.finished(active);
                String previous = MDC.get(MDC_TASK_ID);
                boolean ownMdc = task.taskId().equals(previous); // a synchronous handler: still this task's MDC
                if (!ownMdc) {
                    MDC.put(MDC_TASK_ID, task.taskId());
                }
                try {
                    OperatorResult outcome = handlerOutcome(result, error);
                    if (observation != null) {
                        observation.finished(outcome); // metrics hook
                    }
                    if (!outcome.isSuccess() && outcome.status() != TaskStatus.CANCELLED) {
                        TaskError taskError = outcome.error();
                        workerState.recentFailures().record(task.taskId(), outcome.status().wireName(),
                                taskError == null ? null : taskError.type(),
                                taskError == null ? null : taskError.message());
                    }
                    answer(d, resultMeta(task.taskId(), outcome));
                } catch (Throwable t) {
                    if (InfrastructureFailures.isInfrastructure(t)) {
                        retryLater(d, t); // the route ran; at-least-once: it may run again, never FAILED by Redis
                    } else {
                        brokenInvariant(d, t);
                    }
                } finally {
                    if (!ownMdc) {
                        restoreMdc(previous);
                    }
                }
            };
            if (stage.getClass() == CompletableFuture.class && stage instanceof CompletableFuture<OperatorResult> f
                && f.isDone() && !f.isCompletedExceptionally()) {
                // A handler that answered at once (any synchronous one): what whenComplete would do, without its
                // dependent future and the machinery around it. Only a plain CompletableFuture: a subclass (e.g. a
                // minimal stage, which refuses isDone) keeps its own whenComplete.
                try {
                    finished.accept(f.join(), null);
                } catch (Throwable ignored) {
                    // as with whenComplete, where it could only fail the dependent future that nobody reads
                }
            } else {
                stage.whenComplete(finished);
            }
        } finally {
            if (!handed) {
                running.release();
            }
        }
    }

    private static void restoreMdc(String previous) {
        if (previous == null) {
            MDC.remove(MDC_TASK_ID);
        } else {
            MDC.put(MDC_TASK_ID, previous);
        }
    }

    static OperatorResult handlerOutcome(OperatorResult result, Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof OperatorFailure f) {
            return OperatorResult.failed(f.toError());
        }
        if (e != null) {
            LOG.info("handler failed: {}", e.toString());
            return OperatorResult.failed(new TaskError(e.getClass().getSimpleName(), String.valueOf(e.getMessage()),
                    false));
        }
        if (result == null) {
            return OperatorResult.failed(new TaskError("InvalidResult", "handler completed without a result", false));
        }
        return result;
    }

    /** The deadline and cancel checks; null when the task may run. */
    private OperatorResult checkControls(TaskMeta meta) {
        if (meta.isPastDeadline(System.currentTimeMillis() / 1000.0)) {
            return OperatorResult.deadlineExceeded("deadline " + meta.deadline() + " passed before the task started");
        }
        if (meta.cancelKey() != null && isCancelled(meta.cancelKey())) {
            return OperatorResult.cancelled("cancel key " + meta.cancelKey() + " is set");
        }
        return null;
    }

    /**
     * Whether the cancel key is set. While Redis is away the writer retries with back-off and this waits for it, as
     * long as it takes: the task has not started and an outage is no reason to fail it (it stays in flight). Throws
     * an infrastructure error only when the runtime stops meanwhile.
     */
    boolean isCancelled(String cancelKey) {
        String key = settings.connection().cancelKeyPrefix() + cancelKey;
        CompletableFuture<Boolean> exists = ledger.cancelKeySet(key);
        long started = System.nanoTime();
        boolean reported = false;
        while (true) {
            try {
                return exists.get(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerUnavailableException("interrupted while checking the cancel key", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re
                        : new IllegalStateException("cannot check the cancel key: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                if (stopping) {
                    throw new BrokerUnavailableException("runtime stopping while checking the cancel key", e);
                }
                if (!reported && System.nanoTime() - started > TimeUnit.SECONDS.toNanos(30)) {
                    reported = true;
                    LOG.warn("cancel check waits for Redis for 30 s; the task waits with it");
                }
            }
        }
    }

    private Map<String, Object> describe() {
        Map<String, Object> d = settings.description();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "success");
        m.put("name", settings.operatorName());
        m.put("version", settings.operatorVersion());
        m.put("description", d.getOrDefault("description", ""));
        m.put("input_slots", d.getOrDefault("input_slots", List.of()));
        m.put("output_slots", d.getOrDefault("output_slots", List.of()));
        m.put("options_schema", d.getOrDefault("options_schema", Map.of()));
        m.put("results_schema", d.getOrDefault("results_schema", Map.of()));
        m.put("max_concurrency", settings.concurrency());
        d.forEach(m::putIfAbsent);
        return m;
    }

    // ---- metas ---------------------------------------------------------------------------------------------

    static ResultMeta resultMeta(String taskId, OperatorResult result) {
        return ResultMeta.of(taskId, CeleryState.SUCCESS, result.toMap(), null);
    }

    static ResultMeta failedMeta(String taskId, TaskError error) {
        return taskId == null ? null : resultMeta(taskId, OperatorResult.failed(error));
    }

    static ResultMeta failureMeta(String taskId, String type, String module, String message) {
        return ResultMeta.of(taskId, CeleryState.FAILURE, CeleryFailures.exception(type, module, message),
                CeleryFailures.refusalTraceback(module, type, message));
    }

    /** As Celery's {@code Request.revoked()}: state REVOKED with {@code TaskRevokedError('revoked')}, acked. */
    private void answerRevoked(Delivery d, String taskId) {
        LOG.info("Discarding revoked task: {}", taskId);
        answer(d, revokedMeta(taskId, "revoked"));
    }

    /** Exactly what Celery 5.2 stores for a revoked or expired task: {@code TaskRevokedError(reason)}, no traceback. */
    static ResultMeta revokedMeta(String taskId, String reason) {
        return ResultMeta.of(taskId, CeleryState.REVOKED,
                CeleryFailures.exception("TaskRevokedError", "celery.exceptions", reason), null);
    }

    static ResultMeta decodeErrorMeta(String taskId, String message) {
        return failureMeta(taskId, "DecodeError", "kombu.exceptions", message);
    }

    private static String readTaskId(Delivery d) {
        try {
            TaskEnvelope envelope = TaskEnvelope.parseUtf8(d.raw());
            return envelope == null ? null : envelope.taskId();
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---- ledger steps (Redis or AMQP) ---------------------------------------------------------------------

    /** PROGRESS / STARTED: written unless a final state is stored; no ack. */
    CompletableFuture<?> writeMeta(Delivery d, ResultMeta meta) {
        if (d.state().settled.get() || d.state().returnedToQueue) {
            return CompletableFuture.completedFuture(0L);
        }
        return ledger.writeMeta(d, meta);
    }

    /** The final answer, then the ack. */
    private void answer(Delivery d, ResultMeta meta) {
        if (d.state().returnedToQueue) {
            settle(d); // returned at shutdown: another worker runs it, nothing of ours is written
            return;
        }
        boolean ackHere = d.inUnacked() && !d.state().acked;
        ledger.complete(d, meta, ackHere)
                .whenComplete((r, e) -> {
                    if (e != null && InfrastructureFailures.isInfrastructure(e)) {
                        LOG.warn("result of {} not confirmed ({}); it stays in flight and is restored after the "
                                 + "visibility timeout", meta.taskId(), CeleryFailures.javaMessage(e));
                    } else if (e != null) {
                        LOG.error("could not write the result of {}; it stays in flight and is restored later",
                                meta.taskId(), e);
                    } else {
                        d.state().acked = d.inUnacked();
                    }
                    settle(d);
                });
    }

    private void ackNow(Delivery d) {
        d.state().acked = true;
        ledger.ack(d);
    }

    /** Error result when there is a task id, then the raw message to the dead-letter queue (atomically unrecorded). */
    private void refuse(Delivery d, String taskId, ResultMeta meta, String reason) {
        LOG.warn("dead-lettering message {} from {}: {}", d.tag(), d.queue(), reason);
        workerState.recentFailures().record(taskId, "refused", "DeadLettered", reason);
        ledger.deadLetter(d, taskId == null ? null : meta, reason).whenComplete((r, e) -> {
            if (e != null) {
                LOG.error("could not dead-letter message {}; it stays in flight and is restored later", d.tag(), e);
            }
            settle(d);
        });
    }

    /**
     * take.lua refused {@code d} for its size and already moved it, whole, to the dead-letter list: only the caller's
     * result is left to write (the same {@code MessageTooLarge} as {@link #refuse} gives), when the task id is known.
     */
    private void answerDeadLetteredOversize(Delivery d, Delivery.Oversize oversize) {
        String taskId = oversize.taskId();
        d.state().taskId = taskId;
        if (taskId != null) {
            MDC.put(MDC_TASK_ID, taskId);
        }
        String reason = tooLarge(oversize.bytes());
        LOG.warn("message {} from {} was dead-lettered when taken: {}", d.tag(), d.queue(), reason);
        workerState.recentFailures().record(taskId, "refused", "DeadLettered", reason);
        if (taskId == null) {
            settle(d);
            return;
        }
        // nothing is in flight to ack or return: the result is all there is, written even while the runtime stops
        ledger.complete(d, failedMeta(taskId, new TaskError("MessageTooLarge", reason, false)), false)
                .whenComplete((r, e) -> {
                    if (e != null) {
                        LOG.error("could not write the MessageTooLarge result of {}; its message is in the dead-letter "
                                  + "list", taskId, e);
                    }
                    settle(d);
                });
    }

    private String tooLarge(long bytes) {
        return "message of " + bytes + " bytes exceeds maxMessageBytes " + settings.maxMessageBytes();
    }

    /** The dead-letter list entry on Redis (also written by the {@link Restorer}). */
    static byte[] deadLetterRecord(String reason, String queue, double receivedAt, byte[] raw) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("reason", reason);
        record.put("queue", queue);
        record.put("received_at", receivedAt);
        String text = Utf8Text.strict(raw);
        if (text != null) {
            record.put("message", text);
        } else {
            record.put("message", null);
            record.put("message_base64", Base64.getEncoder().encodeToString(raw));
        }
        return PythonJson.encode(record);
    }

    /** Remote control: {@code d} was given back to its queue at shutdown (running ones still settle later). */
    void returned(Delivery d) {
        workerState.forget(d.tag());
    }

    private void brokenInvariant(Delivery d, Throwable t) {
        LOG.error("internal error while handling message {} (task {})", d.tag(), d.state().taskId, t);
        String taskId = d.state().taskId;
        try {
            if (taskId != null) {
                answer(d, ResultMeta.of(taskId, CeleryState.FAILURE, CeleryFailures.runtimeError(t),
                        CeleryFailures.javaTraceback(t)));
            } else {
                refuse(d, null, null, "internal error: " + CeleryFailures.javaMessage(t));
            }
        } catch (Throwable again) {
            LOG.error("could not report the internal error of message {}", d.tag(), again);
            settle(d);
        }
    }

    private void settle(Delivery d) {
        workerState.forget(d.tag()); // every way out of this worker passes here, or through returned()
        if (d.state().settled.compareAndSet(false, true)) {
            onSettled.accept(d);
        }
    }
}
