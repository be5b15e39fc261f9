package io.camelsandai.operator;

import java.util.concurrent.CompletableFuture;

import io.camelsandai.codec.ResultMeta;

/**
 * What the task logic ({@link TaskProcessor}) asks of the broker and the result backend, and nothing else: the seam
 * between the transport-neutral Celery worker logic and Redis ({@link RedisTaskLedger}) or AMQP
 * ({@code AmqpTaskLedger}). Every future completes exceptionally with an infrastructure error when the broker or
 * backend did not confirm; the processor then leaves the delivery in flight (the broker redelivers it).
 */
interface TaskLedger {

    /** A PROGRESS or STARTED state, written unless a final state is stored; no ack. */
    CompletableFuture<?> writeMeta(Delivery d, ResultMeta meta);

    /** The final result, confirmed by the backend, and then, when {@code ack} is true, the ack of {@code d}. */
    CompletableFuture<?> complete(Delivery d, ResultMeta meta, boolean ack);

    /** Acks {@code d} without a result (acks early, before the task runs). */
    CompletableFuture<?> ack(Delivery d);

    /**
     * Refuses {@code d}: the error result {@code meta} when not null, then the raw message to the dead-letter queue
     * with {@code reason}, removing it from the broker's in-flight bookkeeping.
     */
    CompletableFuture<?> deadLetter(Delivery d, ResultMeta meta, String reason);

    /** Whether the Sandai cancel key {@code key} (already prefixed) is set. */
    CompletableFuture<Boolean> cancelKeySet(String key);
}
