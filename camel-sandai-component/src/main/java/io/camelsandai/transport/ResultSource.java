package io.camelsandai.transport;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.camelsandai.codec.ResultMeta;

/**
 * Where a client's task results come from: the Redis result backend ({@link ResultBackend}: stored
 * {@code celery-task-meta-<id>} keys) or RabbitMQ's rpc:// reply queue
 * ({@link io.camelsandai.transport.amqp.RpcResultConsumer}: messages routed by correlation id, nothing stored). The
 * client waits on either through this seam; interpreting a meta (statuses, typed errors) is the same for both.
 */
public interface ResultSource extends AutoCloseable {

    /**
     * Completes with the first final meta of {@code taskId}; {@code onProgress} sees non-final metas (PROGRESS,
     * STARTED) as they arrive. {@code lookNow} asks a store to be read at once (a task that may have finished).
     */
    CompletableFuture<ResultMeta> awaitFinal(String taskId, Consumer<ResultMeta> onProgress, boolean lookNow);

    /** Stops waiting for a task without completing anyone's future (e.g. when the send failed). */
    void stopWaiting(String taskId);

    /** How many tasks are being waited for; for tests and health details. */
    int waitingCount();

    /** The latest meta known for the task, or null (Celery's PENDING). */
    ResultMeta get(String taskId);

    /** Deletes what is kept of the task's result ({@code AsyncResult.forget()}). */
    void forget(String taskId);

    @Override
    void close();
}
