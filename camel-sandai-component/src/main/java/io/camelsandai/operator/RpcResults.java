package io.camelsandai.operator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.rabbitmq.client.AMQP;

import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.ResultMeta;

/**
 * Celery 5.2's {@code rpc://} result backend, worker side ({@code celery.backends.rpc.RPCBackend.store_result}): each
 * state is a message {@code {task_id, status, result, traceback, children}} in the result serializer, published to
 * the default exchange with routing key = the task message's {@code reply_to} and {@code correlation_id} = its
 * correlation id (else the task id), delivery mode 1 (transient, {@code result_persistent} off). A task message
 * without {@code reply_to} gets no result message, as in Celery. Every publish is confirmed before the task is acked.
 */
final class RpcResults implements AmqpResults {
    private final AmqpConfirmedPublisher publisher;
    private final ContentType serializer;

    RpcResults(AmqpConfirmedPublisher publisher, ContentType serializer) {
        this.publisher = publisher;
        this.serializer = serializer;
    }

    @Override
    public CompletableFuture<?> write(Delivery d, AmqpDeliveryRef ref, ResultMeta meta) {
        String replyTo = ref.properties().getReplyTo();
        if (replyTo == null || replyTo.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String correlationId = ref.properties().getCorrelationId();
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType(serializer.mimeType())
                .contentEncoding(serializer.contentEncoding())
                .correlationId(correlationId != null ? correlationId : meta.taskId())
                .deliveryMode(1)
                .priority(0)
                .headers(Map.of())
                .build();
        return publisher.publish("", replyTo, props, serializer.encode(message(meta)));
    }

    /** The body of a result message, keys in Celery's order. */
    static Map<String, Object> message(ResultMeta meta) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task_id", meta.taskId());
        m.put("status", meta.status());
        m.put("result", meta.result());
        m.put("traceback", meta.traceback());
        m.put("children", meta.children());
        return m;
    }

    @Override
    public CompletableFuture<Boolean> cancelKeySet(String key) {
        return CompletableFuture.completedFuture(false); // no Redis to hold a cancel key
    }
}
