package io.camelsandai.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.camelsandai.codec.CeleryState;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.SandaiException;
import io.camelsandai.model.TaskTimeoutException;
import io.camelsandai.transport.ResultSource;

/** A sent task: its id, its state, and its result when it comes (Celery's {@code AsyncResult}). */
public final class TaskHandle {
    private final String id;
    private final ResultSource backend;
    private final boolean autoForget;

    TaskHandle(String id, ResultSource backend, boolean autoForget) {
        this.id = id;
        this.backend = backend;
        this.autoForget = autoForget;
    }

    public String id() {
        return id;
    }

    /** The Celery state now: PENDING when nothing is stored yet. */
    public String state() {
        ResultMeta meta = backend.get(id);
        return meta == null ? CeleryState.PENDING : meta.status();
    }

    /** True once a final state is stored. */
    public boolean ready() {
        ResultMeta meta = backend.get(id);
        return meta != null && meta.isFinal();
    }

    /**
     * Waits for the success result.
     *
     * @param timeout null waits without limit
     * @throws TaskTimeoutException when no final result arrives in time; the typed task exceptions otherwise
     */
    public OperatorResult get(Duration timeout) {
        return join(getAsync(timeout, null));
    }

    /** As {@link #get(Duration)} without parking a thread; {@code onProgress} sees PROGRESS metas. */
    public CompletableFuture<OperatorResult> getAsync(Duration timeout, Consumer<ResultMeta> onProgress) {
        return awaitMeta(timeout, onProgress, true).thenApply(ResultInterpreter::successOrThrow);
    }

    /** The final meta itself, whatever its state. */
    public CompletableFuture<ResultMeta> awaitMeta(Duration timeout, Consumer<ResultMeta> onProgress, boolean lookNow) {
        CompletableFuture<ResultMeta> future = backend.awaitFinal(id, onProgress, lookNow);
        if (timeout != null) {
            future = future.orTimeout(Math.max(1, timeout.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        CompletableFuture<ResultMeta> mapped = future.handle((meta, error) -> {
            if (error == null) {
                return meta;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof TimeoutException) {
                throw new TaskTimeoutException(id, timeout);
            }
            throw cause instanceof RuntimeException re ? re : new SandaiException(cause.toString(), cause);
        });
        if (autoForget) {
            mapped = mapped.whenComplete((meta, error) -> {
                if (meta != null) {
                    forgetQuietly();
                }
            });
        }
        return mapped;
    }

    /** Deletes the stored result. */
    public void forget() {
        backend.forget(id);
    }

    private void forgetQuietly() {
        try {
            forget();
        } catch (RuntimeException ignored) {
            // the result expires anyway
        }
    }

    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new SandaiException(String.valueOf(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandaiException("interrupted while waiting for a task result", e);
        }
    }

    @Override
    public String toString() {
        return "TaskHandle[" + id + "]";
    }
}
