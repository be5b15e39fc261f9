package io.camelsandai.bridge.runqy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelsandai.transport.LuaScript;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/**
 * Atomic task state moves on the asynq layout, each one Lua script as asynq does them. A finishing move first
 * removes the id from {@code active}; if it is not there any more (its lease expired and another worker recovered
 * it) the move does nothing and returns false, so a late finisher never overwrites a newer state.
 *
 * <p>Counters as asynq keeps them ({@code internal/rdb/rdb.go}: {@code doneCmd}, {@code retryCmd},
 * {@code archiveCmd}): every finished attempt increments {@code processed}; a failed one (retry or archive)
 * increments {@code failed} as well, each with its daily {@code :YYYY-MM-DD} (UTC) key. runqy's monitoring reads
 * succeeded as processed - failed. Daily keys expire after 90 days (asynq's statsTTL), set on their first INCR.
 */
final class AsynqStore {
    /** How long daily counters are kept (asynq's statsTTL). */
    private static final Duration STATS_TTL = Duration.ofDays(90);
    /** runqy's score for "kept forever". */
    static final Duration FOREVER = Duration.ofDays(365L * 100);
    private static final int BATCH = 100;

    private static final LuaScript DEQUEUE = LuaScript.of("dequeue", """
            if redis.call("EXISTS", KEYS[2]) == 1 then return nil end
            local id = redis.call("RPOPLPUSH", KEYS[1], KEYS[3])
            if not id then return nil end
            local key = ARGV[2] .. id
            local fields = redis.call("HGETALL", key)
            if #fields == 0 then
              redis.call("LREM", KEYS[3], 0, id)
              return {id, fields}
            end
            redis.call("HSET", key, "state", "active")
            redis.call("HDEL", key, "pending_since")
            redis.call("ZADD", KEYS[4], ARGV[1], id)
            return {id, fields}
            """);

    /** Shared head of the finishing scripts: optional "only if its lease expired" guard, then leave active. */
    private static final String LEAVE_ACTIVE = """
            if ARGV[1] ~= "" then
              local s = redis.call("ZSCORE", KEYS[2], ARGV[2])
              if (not s) or tonumber(s) > tonumber(ARGV[1]) then return 0 end
            end
            if redis.call("LREM", KEYS[1], 0, ARGV[2]) == 0 then return 0 end
            redis.call("ZREM", KEYS[2], ARGV[2])
            """;

    /** Shared functions of the finishing scripts: a counter (daily ones expire), and a TTL on the finished task. */
    private static final String FUNCTIONS = """
            local function count(key, expireAt)
              if redis.call("INCR", key) == 1 and expireAt then redis.call("EXPIREAT", key, expireAt) end
            end
            local function keepFor(ttl, task, reverse)
              local t = tonumber(ttl)
              if t > 0 then
                redis.call("EXPIRE", task, t)
                redis.call("EXPIRE", reverse, t)
              end
            end
            """;

    // KEYS: active lease completed task reverse processed processedDay
    // ARGV: guard id score now result hasResult ttl statsExpireAt msg
    private static final LuaScript COMPLETE = LuaScript.of("complete", FUNCTIONS + LEAVE_ACTIVE + """
            redis.call("ZADD", KEYS[3], ARGV[3], ARGV[2])
            if ARGV[6] == "1" then redis.call("HSET", KEYS[4], "result", ARGV[5]) end
            if ARGV[9] ~= "" then redis.call("HSET", KEYS[4], "msg", ARGV[9]) end
            redis.call("HSET", KEYS[4], "state", "completed", "completed_at", ARGV[4])
            keepFor(ARGV[7], KEYS[4], KEYS[5])
            count(KEYS[6])
            count(KEYS[7], ARGV[8])
            return 1
            """);

    // KEYS: active lease retry task pending failed failedDay processed processedDay
    // ARGV: guard id retryAt now retried error msg immediate pendingSince statsExpireAt
    private static final LuaScript RETRY = LuaScript.of("retry", FUNCTIONS + LEAVE_ACTIVE + """
            if ARGV[7] ~= "" then redis.call("HSET", KEYS[4], "msg", ARGV[7]) end
            redis.call("HSET", KEYS[4], "retried", ARGV[5], "error_msg", ARGV[6], "last_failed_at", ARGV[4])
            if ARGV[8] == "1" then
              redis.call("LPUSH", KEYS[5], ARGV[2])
              redis.call("HSET", KEYS[4], "state", "pending", "pending_since", ARGV[9])
            else
              redis.call("ZADD", KEYS[3], ARGV[3], ARGV[2])
              redis.call("HSET", KEYS[4], "state", "retry")
            end
            count(KEYS[6])
            count(KEYS[7], ARGV[10])
            count(KEYS[8])
            count(KEYS[9], ARGV[10])
            return 1
            """);

    // KEYS: active lease archived task reverse failed failedDay processed processedDay
    // ARGV: guard id score now error msg ttl statsExpireAt
    private static final LuaScript ARCHIVE = LuaScript.of("archive", FUNCTIONS + LEAVE_ACTIVE + """
            redis.call("ZADD", KEYS[3], ARGV[3], ARGV[2])
            if ARGV[6] ~= "" then redis.call("HSET", KEYS[4], "msg", ARGV[6]) end
            redis.call("HSET", KEYS[4], "state", "archived", "error_msg", ARGV[5], "last_failed_at", ARGV[4])
            keepFor(ARGV[7], KEYS[4], KEYS[5])
            count(KEYS[6])
            count(KEYS[7], ARGV[8])
            count(KEYS[8])
            count(KEYS[9], ARGV[8])
            return 1
            """);

    // KEYS: active lease pending; ARGV: guard id taskKey pendingSince
    private static final LuaScript REQUEUE = LuaScript.of("requeue", LEAVE_ACTIVE + """
            redis.call("RPUSH", KEYS[3], ARGV[2])
            redis.call("HSET", ARGV[3], "state", "pending", "pending_since", ARGV[4])
            return 1
            """);

    // KEYS: active lease task; ARGV: id now. Only when the hash is still gone and the lease still expired.
    private static final LuaScript DROP_ORPHAN = LuaScript.of("drop_orphan", """
            if redis.call("EXISTS", KEYS[3]) == 1 then return 0 end
            local s = redis.call("ZSCORE", KEYS[2], ARGV[1])
            if s and tonumber(s) > tonumber(ARGV[2]) then return 0 end
            redis.call("ZREM", KEYS[2], ARGV[1])
            return redis.call("LREM", KEYS[1], 0, ARGV[1])
            """);

    // KEYS: zset pending; ARGV: now taskPrefix pendingSince limit
    private static final LuaScript FORWARD = LuaScript.of("forward", """
            local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1], "LIMIT", 0, tonumber(ARGV[4]))
            for _, id in ipairs(ids) do
              redis.call("LPUSH", KEYS[2], id)
              redis.call("ZREM", KEYS[1], id)
              redis.call("HSET", ARGV[2] .. id, "state", "pending", "pending_since", ARGV[3])
            end
            return #ids
            """);

    // KEYS: zset; ARGV: now taskPrefix limit
    private static final LuaScript PURGE = LuaScript.of("purge", """
            local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1], "LIMIT", 0, tonumber(ARGV[3]))
            for _, id in ipairs(ids) do
              redis.call("DEL", ARGV[2] .. id)
              redis.call("DEL", "asynq:t:" .. id)
              redis.call("ZREM", KEYS[1], id)
            end
            return #ids
            """);

    // KEYS: lease; ARGV: expiry ids...
    private static final LuaScript EXTEND = LuaScript.of("extend", """
            local out = {}
            for i = 2, #ARGV do
              if redis.call("ZSCORE", KEYS[1], ARGV[i]) then
                redis.call("ZADD", KEYS[1], ARGV[1], ARGV[i])
                out[#out + 1] = 1
              else
                out[#out + 1] = 0
              end
            end
            return out
            """);

    private final JedisPool pool;
    private final PendingSinceUnit pendingSinceUnit;

    AsynqStore(JedisPool pool, PendingSinceUnit pendingSinceUnit) {
        this.pool = pool;
        this.pendingSinceUnit = pendingSinceUnit;
    }

    /** A task taken from {@code pending}: its id and its hash as it was before the move (may be empty). */
    record Dequeued(AsynqKeys keys, String id, Map<String, byte[]> fields) {
    }

    /** Moves one task pending -> active with a lease, unless the queue is paused; null when there is none. */
    Dequeued dequeue(AsynqKeys keys, Instant leaseExpiry) {
        try (Jedis j = pool.getResource()) {
            Object r = DEQUEUE.run(j, List.of(keys.pending(), keys.paused(), keys.active(), keys.lease()),
                    List.of(leaseExpiry.getEpochSecond(), keys.taskPrefix()));
            if (!(r instanceof List<?> list) || list.size() < 2) {
                return null;
            }
            String id = new String((byte[]) list.get(0), StandardCharsets.UTF_8);
            Map<String, byte[]> fields = new LinkedHashMap<>();
            List<?> flat = (List<?>) list.get(1);
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                fields.put(new String((byte[]) flat.get(i), StandardCharsets.UTF_8), (byte[]) flat.get(i + 1));
            }
            return new Dequeued(keys, id, fields);
        }
    }

    /** Reads a task hash (for lease recovery). */
    Map<String, byte[]> fields(AsynqKeys keys, String id) {
        try (Jedis j = pool.getResource()) {
            Map<byte[], byte[]> raw = j.hgetAll(keys.task(id).getBytes(StandardCharsets.UTF_8));
            Map<String, byte[]> out = new LinkedHashMap<>();
            raw.forEach((k, v) -> out.put(new String(k, StandardCharsets.UTF_8), v));
            return out;
        }
    }

    boolean complete(AsynqKeys keys, String id, Instant now, byte[] result, Duration ttl, byte[] msg) {
        long nowS = now.getEpochSecond();
        long score = nowS + (ttl.isZero() ? FOREVER : ttl).getSeconds();
        try (Jedis j = pool.getResource()) {
            return one(COMPLETE.run(j, List.of(keys.active(), keys.lease(), keys.completed(), keys.task(id),
                            AsynqKeys.reverseLookup(id), keys.processed(), keys.processedOn(day(now))),
                    List.of("", id, score, nowS, result == null ? new byte[0] : result, result == null ? "0" : "1",
                            ttl.getSeconds(), statsExpireAt(now), msg == null ? new byte[0] : msg)));
        }
    }

    /** Back to {@code retry} at {@code retryAt}, or straight to {@code pending} when that is not in the future. */
    boolean retry(AsynqKeys keys, String id, Instant now, Instant retryAt, int retried, String error, byte[] msg,
                  Instant onlyIfLeaseExpiredBy) {
        long nowS = now.getEpochSecond();
        boolean immediate = !retryAt.isAfter(now);
        try (Jedis j = pool.getResource()) {
            return one(RETRY.run(j, List.of(keys.active(), keys.lease(), keys.retry(), keys.task(id), keys.pending(),
                            keys.failed(), keys.failedOn(day(now)), keys.processed(), keys.processedOn(day(now))),
                    List.of(guard(onlyIfLeaseExpiredBy), id, retryAt.getEpochSecond(), nowS, retried, error,
                            msg == null ? new byte[0] : msg, immediate ? "1" : "0", pendingSinceUnit.stamp(now),
                            statsExpireAt(now))));
        }
    }

    boolean archive(AsynqKeys keys, String id, Instant now, String error, Duration ttl, byte[] msg,
                    Instant onlyIfLeaseExpiredBy) {
        long nowS = now.getEpochSecond();
        long score = nowS + (ttl.isZero() ? FOREVER : ttl).getSeconds();
        try (Jedis j = pool.getResource()) {
            return one(ARCHIVE.run(j, List.of(keys.active(), keys.lease(), keys.archived(), keys.task(id),
                            AsynqKeys.reverseLookup(id), keys.failed(), keys.failedOn(day(now)),
                            keys.processed(), keys.processedOn(day(now))),
                    List.of(guard(onlyIfLeaseExpiredBy), id, score, nowS, error, msg == null ? new byte[0] : msg,
                            ttl.getSeconds(), statsExpireAt(now))));
        }
    }

    /** Puts an unfinished task back at the head of {@code pending} (graceful stop), without counting a retry. */
    boolean requeue(AsynqKeys keys, String id, Instant now) {
        try (Jedis j = pool.getResource()) {
            return one(REQUEUE.run(j, List.of(keys.active(), keys.lease(), keys.pending()),
                    List.of("", id, keys.task(id), pendingSinceUnit.stamp(now))));
        }
    }

    /**
     * Removes an id whose task hash is gone (expired or deleted) from {@code active} and {@code lease}, as
     * runqy-worker's lease recoverer does with orphans; nothing is archived since there is no task left.
     */
    boolean dropOrphan(AsynqKeys keys, String id, Instant now) {
        try (Jedis j = pool.getResource()) {
            return ((Number) DROP_ORPHAN.run(j, List.of(keys.active(), keys.lease(), keys.task(id)),
                    List.of(id, now.getEpochSecond()))).longValue() > 0;
        }
    }

    /** Moves due {@code retry} and {@code scheduled} entries to {@code pending}; returns how many. */
    long forwardDue(AsynqKeys keys, Instant now) {
        long moved = 0;
        try (Jedis j = pool.getResource()) {
            for (String zset : List.of(keys.retry(), keys.scheduled())) {
                moved += ((Number) FORWARD.run(j, List.of(zset, keys.pending()),
                        List.of(now.getEpochSecond(), keys.taskPrefix(), pendingSinceUnit.stamp(now), BATCH))).longValue();
            }
        }
        return moved;
    }

    /** Deletes {@code completed} and {@code archived} entries whose retention has passed, with their hashes. */
    long purgeExpired(AsynqKeys keys, Instant now) {
        long purged = 0;
        try (Jedis j = pool.getResource()) {
            for (String zset : List.of(keys.completed(), keys.archived())) {
                purged += ((Number) PURGE.run(j, List.of(zset), List.of(now.getEpochSecond(), keys.taskPrefix(), BATCH)))
                        .longValue();
            }
        }
        return purged;
    }

    /** Ids whose lease expired before {@code now}. */
    List<String> expiredLeases(AsynqKeys keys, Instant now) {
        try (Jedis j = pool.getResource()) {
            return new ArrayList<>(j.zrangeByScore(keys.lease(), Double.NEGATIVE_INFINITY, now.getEpochSecond() - 1, 0, BATCH));
        }
    }

    /** Renews the leases of {@code ids}; returns, per id, whether the lease was still ours to renew. */
    List<Boolean> extendLeases(AsynqKeys keys, List<String> ids, Instant expiry) {
        List<Object> args = new ArrayList<>();
        args.add(expiry.getEpochSecond());
        args.addAll(ids);
        try (Jedis j = pool.getResource()) {
            List<?> r = (List<?>) EXTEND.run(j, List.of(keys.lease()), args);
            List<Boolean> out = new ArrayList<>();
            r.forEach(v -> out.add(((Number) v).longValue() == 1));
            return out;
        }
    }

    private static String guard(Instant onlyIfLeaseExpiredBy) {
        return onlyIfLeaseExpiredBy == null ? "" : String.valueOf(onlyIfLeaseExpiredBy.getEpochSecond() - 1);
    }

    private static boolean one(Object r) {
        return r instanceof Number n && n.longValue() == 1;
    }

    private static LocalDate day(Instant now) {
        return LocalDate.ofInstant(now, java.time.ZoneOffset.UTC);
    }

    private static long statsExpireAt(Instant now) {
        return now.plus(STATS_TTL).getEpochSecond();
    }
}
