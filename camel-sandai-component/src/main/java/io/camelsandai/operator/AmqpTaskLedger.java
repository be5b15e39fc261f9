package io.camelsandai.operator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.rabbitmq.client.AMQP;

import io.camelsandai.codec.ResultMeta;

/**
 * The {@link TaskLedger} on RabbitMQ: states go to the {@link AmqpResults} backend; the ack is a {@code basic.ack} on
 * the channel that delivered the task, sent only after the backend confirmed the final state; a refused message is
 * republished unchanged (body and properties) to the dead-letter queue with the reason in its headers, confirmed,
 * and then acked. When a write fails, the delivery is given back ({@code basic.nack}, requeue) so it does not sit
 * unacked on a live channel.
 */
final class AmqpTaskLedger implements TaskLedger {
    static final String REASON_HEADER = "x-sandai-dead-letter-reason";
    static final String QUEUE_HEADER = "x-sandai-dead-letter-queue";
    static final String TIME_HEADER = "x-sandai-dead-lettered-at";

    private final AmqpTaskSource source;
    private final AmqpResults results;
    private final AmqpConfirmedPublisher publisher;
    private final String deadLetterQueue;

    AmqpTaskLedger(AmqpTaskSource source, AmqpResults results, AmqpConfirmedPublisher publisher,
                   String deadLetterQueue) {
        this.source = source;
        this.results = results;
        this.publisher = publisher;
        this.deadLetterQueue = deadLetterQueue;
        publisher.holdAcksWhileSettling(source.acks()); // a confirm batch releases its tasks' acks as one
    }

    @Override
    public CompletableFuture<?> writeMeta(Delivery d, ResultMeta meta) {
        AmqpDeliveryRef ref = source.ref(d);
        return ref == null ? CompletableFuture.completedFuture(null) // settled meanwhile: a late progress is moot
                : results.write(d, ref, meta);
    }

    @Override
    public CompletableFuture<?> complete(Delivery d, ResultMeta meta, boolean ack) {
        AmqpDeliveryRef ref = source.ref(d);
        if (ref == null) {
            return unknown(d);
        }
        return giveBackOnFailure(d, results.write(d, ref, meta)
                .thenCompose(r -> ack ? ack(d) : CompletableFuture.completedFuture(null)));
    }

    @Override
    public CompletableFuture<?> ack(Delivery d) {
        return source.ack(d);
    }

    @Override
    public CompletableFuture<?> deadLetter(Delivery d, ResultMeta meta, String reason) {
        AmqpDeliveryRef ref = source.ref(d);
        if (ref == null) {
            return unknown(d);
        }
        CompletableFuture<?> result = meta == null ? CompletableFuture.completedFuture(null)
                : results.write(d, ref, meta);
        return giveBackOnFailure(d, result
                .thenCompose(r -> publisher.publish("", deadLetterQueue, deadLetterProperties(ref, d, reason),
                        ref.body()))
                .thenCompose(r -> source.ack(d)));
    }

    private static CompletableFuture<?> unknown(Delivery d) {
        return CompletableFuture.failedFuture(new IllegalStateException("delivery " + d.tag() + " is already settled"));
    }

    private CompletableFuture<?> giveBackOnFailure(Delivery d, CompletableFuture<?> step) {
        return step.whenComplete((r, e) -> {
            if (e != null) {
                source.giveBack(d);
            }
        });
    }

    /** The original properties with the reason, the queue and the time added to the headers. */
    static AMQP.BasicProperties deadLetterProperties(AmqpDeliveryRef ref, Delivery d, String reason) {
        AMQP.BasicProperties p = ref.properties();
        Map<String, Object> headers = new LinkedHashMap<>(p.getHeaders() == null ? Map.of() : p.getHeaders());
        headers.put(REASON_HEADER, reason);
        headers.put(QUEUE_HEADER, d.queue());
        headers.put(TIME_HEADER, Instant.now().toString());
        return p.builder().headers(headers).deliveryMode(2).build();
    }

    @Override
    public CompletableFuture<Boolean> cancelKeySet(String key) {
        return results.cancelKeySet(key);
    }
}
