package io.camelsandai.operator;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.KombuKeys;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.transport.LuaScript;
import io.camelsandai.transport.ResultBackend;

/**
 * The {@link TaskLedger} on Redis: results through the backend writer, acks and dead-letters through the broker
 * writer as kombu's {@code unacked} bookkeeping wants them; when broker and backend are one Redis (and not durable),
 * result and ack are one script.
 */
final class RedisTaskLedger implements TaskLedger {
    private final CommandBatcher backend;
    private final CommandBatcher broker;
    private final boolean sameRedis;
    private final RuntimeKeys keys;
    private final byte[] expires;
    private final ContentType resultSerializer;

    RedisTaskLedger(OperatorRuntimeSettings settings, RuntimeKeys keys, CommandBatcher backend, CommandBatcher broker,
                    boolean sameRedis) {
        this.backend = backend;
        this.broker = broker;
        this.sameRedis = sameRedis;
        this.keys = keys;
        this.expires = LuaScript.bytes(Integer.toString(settings.connection().resultExpiresSeconds()));
        this.resultSerializer = settings.connection().resultSerializer();
    }

    private byte[] encode(ResultMeta meta) {
        return meta.encode(resultSerializer);
    }

    private static final byte[] UNACKED = LuaScript.bytes(KombuKeys.UNACKED);
    private static final byte[] UNACKED_INDEX = LuaScript.bytes(KombuKeys.UNACKED_INDEX);
    /** An empty argument: no meta to write, or no tag to ack. The script only reads it, so one serves all calls. */
    private static final byte[] NONE = new byte[0];

    private static List<byte[]> completeKeys(String taskId) {
        return List.of(LuaScript.bytes(ResultBackend.metaKey(taskId)), UNACKED, UNACKED_INDEX);
    }

    @Override
    public CompletableFuture<?> writeMeta(Delivery d, ResultMeta meta) {
        return backend.eval(RuntimeScripts.COMPLETE, completeKeys(meta.taskId()),
                List.of(encode(meta), expires, NONE));
    }

    @Override
    public CompletableFuture<?> complete(Delivery d, ResultMeta meta, boolean ack) {
        // durable: the ack waits until replicas confirmed the result, so a failover cannot lose a result of an acked task
        boolean ackInScript = ack && sameRedis && !backend.durable();
        byte[] tag = ackInScript ? d.tagKey() : NONE;
        return backend.evalDurable(RuntimeScripts.COMPLETE, completeKeys(meta.taskId()),
                        List.of(encode(meta), expires, tag))
                .thenCompose(written -> ack && !ackInScript ? ack(d) : CompletableFuture.completedFuture(null));
    }

    @Override
    public CompletableFuture<Object> ack(Delivery d) {
        return broker.eval(RuntimeScripts.COMPLETE, completeKeys("-"), List.of(NONE, expires, d.tagKey()));
    }

    @Override
    public CompletableFuture<?> deadLetter(Delivery d, ResultMeta meta, String reason) {
        CompletableFuture<Object> result = meta == null ? CompletableFuture.completedFuture(null)
                : backend.eval(RuntimeScripts.COMPLETE, completeKeys(meta.taskId()),
                        List.of(encode(meta), expires, NONE));
        String hash = d.inUnacked() ? KombuKeys.UNACKED : keys.malformedHash;
        return result.thenCompose(r -> broker.eval(RuntimeScripts.DEAD_LETTER, List.of(LuaScript.bytes(hash),
                        UNACKED_INDEX, LuaScript.bytes(keys.deadLetter)),
                List.of(d.tagKey(), TaskProcessor.deadLetterRecord(reason, d.queue(), d.receivedAt(), d.raw()))));
    }

    @Override
    public CompletableFuture<Boolean> cancelKeySet(String key) {
        return broker.submit(p -> p.exists(key)).thenApply(Boolean.TRUE::equals);
    }
}
