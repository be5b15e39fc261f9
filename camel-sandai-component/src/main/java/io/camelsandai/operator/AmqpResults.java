package io.camelsandai.operator;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.KombuKeys;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.transport.LuaScript;
import io.camelsandai.transport.ResultBackend;

/**
 * Where a worker on RabbitMQ writes task states: the Redis result backend (the same {@code celery-task-meta-*} keys as
 * a worker on Redis) or Celery's {@code rpc://} backend (a message to the caller's {@code reply_to} queue).
 */
interface AmqpResults {

    /** Writes one state of the task of {@code d}; completes when the backend confirmed it. */
    CompletableFuture<?> write(Delivery d, AmqpDeliveryRef ref, ResultMeta meta);

    /** Whether the Sandai cancel key {@code key} is set (always false where the backend cannot hold one). */
    CompletableFuture<Boolean> cancelKeySet(String key);

    /** Results in a Redis backend, written by the runtime's ordered writer with the same script as on Redis. */
    static AmqpResults redis(CommandBatcher backend, int expiresSeconds, ContentType serializer) {
        byte[] expires = LuaScript.bytes(Integer.toString(expiresSeconds));
        return new AmqpResults() {
            @Override
            public CompletableFuture<?> write(Delivery d, AmqpDeliveryRef ref, ResultMeta meta) {
                // no tag: the ack is an AMQP one, after this write is confirmed
                List<byte[]> keys = List.of(LuaScript.bytes(ResultBackend.metaKey(meta.taskId())),
                        LuaScript.bytes(KombuKeys.UNACKED), LuaScript.bytes(KombuKeys.UNACKED_INDEX));
                List<byte[]> args = List.of(meta.encode(serializer), expires, new byte[0]);
                return meta.isFinal() ? backend.evalDurable(RuntimeScripts.COMPLETE, keys, args)
                        : backend.eval(RuntimeScripts.COMPLETE, keys, args);
            }

            @Override
            public CompletableFuture<Boolean> cancelKeySet(String key) {
                return backend.submit(p -> p.exists(key)).thenApply(Boolean.TRUE::equals);
            }
        };
    }

    /** Celery's {@code rpc://} backend. */
    static AmqpResults rpc(AmqpConfirmedPublisher publisher, ContentType serializer) {
        return new RpcResults(publisher, serializer);
    }
}
