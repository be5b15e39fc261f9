package io.camelsandai.operator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.camelsandai.codec.KombuKeys;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.transport.LuaScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Visibility-timeout restore, as kombu does it, so that tasks of a dead worker (Java or Python) run again: under
 * {@code unacked_mutex} ({@code SET ... PX <expiry> NX}, released by compare-and-delete), every {@code unacked_index}
 * entry older than the visibility timeout is moved back to the consuming end of its queue, one atomic script per
 * entry. It also refreshes the index score of this runtime's own in-flight tasks, so that a long task of a live
 * worker is not taken for a dead one, and dead-letters malformed messages a stopped worker left behind.
 */
final class Restorer {
    private static final Logger LOG = LoggerFactory.getLogger(Restorer.class);
    /** kombu's {@code unacked_mutex_expire}: the most a holder keeps the restore mutex. */
    static final long KOMBU_MUTEX_EXPIRE_MILLIS = 300_000;
    static final int BATCH = 500;

    private final OperatorRuntimeSettings settings;
    private final RuntimeKeys keys;
    private final Supplier<Jedis> connect;
    private final Supplier<Collection<Delivery>> ownInFlight;
    private final RestoreFailures failures = new RestoreFailures();

    Restorer(OperatorRuntimeSettings settings, RuntimeKeys keys, Supplier<Jedis> connect,
             Supplier<Collection<Delivery>> ownInFlight) {
        this.settings = settings;
        this.keys = keys;
        this.connect = connect;
        this.ownInFlight = ownInFlight;
    }

    /**
     * How long this worker's hold on {@code unacked_mutex} lasts if it never releases it: the visibility timeout,
     * between 1 s and kombu's 300 s. A worker killed in the middle of a pass (kill -9 cannot release) otherwise kept
     * every other worker from restoring for five minutes, however short the visibility timeout -- seen as a rare
     * KillRestoreTest failure. The mutex only keeps workers from scanning at the same time: requeue.lua moves each
     * entry in one atomic step (and kombu's restore_by_tag reads and removes it in one MULTI), so a pass that
     * outlives its hold and meets another restorer cannot restore an entry twice.
     */
    static long mutexExpireMillis(OperatorRuntimeSettings s) {
        return Math.max(1_000, Math.min(KOMBU_MUTEX_EXPIRE_MILLIS, s.visibilityTimeout().toMillis()));
    }

    /** How often to run: a quarter of the visibility timeout, between 200 ms and 30 s. */
    static long intervalMillis(OperatorRuntimeSettings s) {
        return Math.max(200, Math.min(30_000, s.visibilityTimeout().toMillis() / 4));
    }

    /** One heartbeat and restore pass; never throws. */
    void runOnce() {
        try (Jedis jedis = connect.get()) {
            heartbeat(jedis);
            restoreExpired(jedis);
            failures.succeeded();
        } catch (RuntimeException e) {
            failures.failed(e);
        }
    }

    /**
     * Redis's clock, in epoch seconds. take.lua stamps {@code unacked_index} with Redis TIME, so the heartbeat and the
     * restore cutoff read the same clock: a JVM clock off by more than the visibility timeout would otherwise restore
     * live tasks early or dead workers' tasks late. (kombu uses the client's clock for both, which is consistent
     * among its own workers; ours must agree with take.lua.)
     */
    static double redisNow(Jedis jedis) {
        List<String> t = jedis.time();
        return Long.parseLong(t.get(0)) + Long.parseLong(t.get(1)) / 1_000_000.0;
    }

    private void heartbeat(Jedis jedis) {
        List<Delivery> own = ownInFlight.get().stream()
                .filter(d -> d.inUnacked() && !d.state().acked && !d.state().returnedToQueue).toList();
        if (own.isEmpty()) {
            return;
        }
        // whole seconds, rounded up, as take.lua stamps them (see there: cheaper for Redis, never restores early)
        double now = Math.ceil(redisNow(jedis));
        Pipeline p = jedis.pipelined();
        for (Delivery d : own) {
            p.zadd(LuaScript.bytes(KombuKeys.UNACKED_INDEX), now, d.tagKey(), ZAddParams.zAddParams().xx());
        }
        p.sync();
    }

    /** Returns how many messages went back to their queues. */
    int restoreExpired(Jedis jedis) {
        String token = UUID.randomUUID().toString().replace("-", "");
        SetParams hold = SetParams.setParams().nx().px(mutexExpireMillis(settings));
        if (jedis.set(KombuKeys.UNACKED_MUTEX, token, hold) == null) {
            return 0; // another worker is restoring right now
        }
        int restored = 0;
        try {
            double ceil = redisNow(jedis) - settings.visibilityTimeout().toMillis() / 1000.0;
            Set<ByteBuffer> own = ownInFlight.get().stream().map(d -> ByteBuffer.wrap(d.tagKey()))
                    .collect(Collectors.toSet());
            List<byte[]> tags = jedis.zrangeByScore(LuaScript.bytes(KombuKeys.UNACKED_INDEX), 0, ceil, 0, BATCH);
            for (byte[] tag : tags) {
                if (!own.contains(ByteBuffer.wrap(tag)) && requeue(jedis, tag) == 1) {
                    restored++;
                }
            }
            deadLetterAbandonedMalformed(jedis, ceil, own);
        } finally {
            RuntimeScripts.RELEASE_MUTEX.eval(jedis, List.of(LuaScript.bytes(KombuKeys.UNACKED_MUTEX)),
                    List.of(LuaScript.bytes(token)));
        }
        if (restored > 0) {
            LOG.info("restored {} unacked messages older than the visibility timeout {}", restored,
                    settings.visibilityTimeout());
        }
        return restored;
    }

    /**
     * Moves the in-flight message {@code tag} back to the head of its queue; 1 when moved. Entries not in the shape
     * kombu writes are read in Java and moved only if unchanged meanwhile; unreadable ones are dead-lettered.
     */
    long requeue(Jedis jedis, byte[] tag) {
        List<byte[]> k = List.of(LuaScript.bytes(KombuKeys.UNACKED), LuaScript.bytes(KombuKeys.UNACKED_INDEX));
        Object r = RuntimeScripts.REQUEUE.eval(jedis, k, List.of(tag, new byte[0], new byte[0],
                new byte[0]));
        if (!Long.valueOf(-1).equals(r)) {
            return (Long) r;
        }
        byte[] entry = jedis.hget(LuaScript.bytes(KombuKeys.UNACKED), tag);
        if (entry == null) {
            return 0;
        }
        try {
            if (PythonJson.decode(entry) instanceof List<?> parts && parts.size() == 3
                && parts.get(0) instanceof Map && parts.get(2) instanceof String queue) {
                Object moved = RuntimeScripts.REQUEUE.eval(jedis, k, List.of(tag,
                        LuaScript.bytes(LuaScript.sha1Hex(entry)), LuaScript.bytes(queue),
                        PythonJson.encode(parts.get(0))));
                return (Long) moved;
            }
        } catch (RuntimeException e) {
            LOG.debug("unacked entry {} is not readable", new String(tag, StandardCharsets.UTF_8), e);
        }
        LOG.warn("unacked entry {} cannot be restored; moving it to {}", new String(tag, StandardCharsets.UTF_8),
                keys.deadLetter);
        RuntimeScripts.DEAD_LETTER.eval(jedis, List.of(LuaScript.bytes(KombuKeys.UNACKED),
                        LuaScript.bytes(KombuKeys.UNACKED_INDEX), LuaScript.bytes(keys.deadLetter)),
                List.of(tag, TaskProcessor.deadLetterRecord("unreadable unacked entry", null, redisNow(jedis),
                        entry)));
        return 0;
    }

    /** Malformed messages whose worker stopped between take and dead-letter (their tags start with the take time). */
    private void deadLetterAbandonedMalformed(Jedis jedis, double ceil, Set<ByteBuffer> own) {
        byte[] hash = LuaScript.bytes(keys.malformedHash);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<Map.Entry<byte[], byte[]>> page = jedis.hscan(hash, LuaScript.bytes(cursor));
            for (Map.Entry<byte[], byte[]> e : page.getResult()) {
                String tag = new String(e.getKey(), StandardCharsets.UTF_8);
                if (own.contains(ByteBuffer.wrap(e.getKey())) || takenAt(tag) > ceil) {
                    continue;
                }
                byte[] value = e.getValue();
                String queue = null;
                byte[] raw = value;
                int colon = indexOf(value, (byte) ':');
                try {
                    int len = Integer.parseInt(new String(value, 0, colon, StandardCharsets.US_ASCII));
                    queue = String.valueOf(PythonJson.decode(new String(value, colon + 1, len,
                            StandardCharsets.UTF_8)));
                    raw = java.util.Arrays.copyOfRange(value, colon + 1 + len, value.length);
                } catch (RuntimeException ignored) {
                    // keep the whole value as the message
                }
                RuntimeScripts.DEAD_LETTER.eval(jedis, List.of(hash, LuaScript.bytes(KombuKeys.UNACKED_INDEX),
                        LuaScript.bytes(keys.deadLetter)), List.of(e.getKey(), TaskProcessor.deadLetterRecord(
                        "malformed message left behind by a stopped worker", queue, redisNow(jedis), raw)));
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    }

    private static double takenAt(String tag) {
        int colon = tag.indexOf(':');
        try {
            return Long.parseLong(tag.substring(0, colon)) / 1000.0;
        } catch (RuntimeException e) {
            return 0; // not ours in shape: old enough
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Graceful shutdown: the message goes back to the head of its queue, not acked. */
    void returnToQueue(Jedis jedis, Delivery d) {
        if (d.inUnacked() && !d.state().acked) {
            requeue(jedis, d.tagKey());
        } else if (d.inUnacked()) {
            // acked on receipt (acksLate=false) and not finished: give it back rather than lose it
            jedis.rpush(LuaScript.bytes(d.queue()), d.raw());
        }
        // malformed ones stay in the malformed hash and are dead-lettered by a later restore pass
    }
}
