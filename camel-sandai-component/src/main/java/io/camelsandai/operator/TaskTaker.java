package io.camelsandai.operator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.camelsandai.model.Priority;
import io.camelsandai.transport.LuaScript;
import io.camelsandai.util.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The taking loop. Each round takes as many messages as there are free slots with one call of {@code take.lua}
 * (pop and record in flight, atomically, in strict priority order); see {@link PrefetchWindow}. When nothing was waiting it sleeps until the
 * invalidation listener reports a push to one of its queues (CLIENT TRACKING), a slot frees, or the safety interval (one second) passes;
 * when the server refuses CLIENT TRACKING it polls every 50 ms instead. A message over {@code maxMessageBytes} is
 * dead-lettered by the script itself; only its length and task id come back (see take.lua).
 *
 * <p>Tracking is in OPTIN mode and armed only where the worker may go to sleep: a take after a short round (the
 * lists ran dry) is pipelined with {@code CLIENT CACHING yes} + {@code EXISTS <lists>} in the same round trip, so
 * the lists are tracked from the instant that EXISTS finds them empty. Redis then sends one invalidation per list on
 * the next push to it and forgets the list (one-shot) until the next arming. A busy worker (full rounds, or a full
 * prefetch window) is not re-armed and costs Redis nothing per push; BCAST tracking, used before, made Redis write an
 * invalidation to every tracking worker for every push, busy or not (about as much Redis CPU per worker as the push
 * itself, see docs/performance.md "Round trips per task"). The worker sleeps only after an armed EXISTS found every
 * list empty.
 */
final class TaskTaker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskTaker.class);
    static final long POLL_MILLIS = 50;

    private final OperatorRuntimeSettings settings;
    private final RuntimeKeys keys;
    private final Supplier<Jedis> connect;
    private final InvalidationListener listener;
    private final Wakeup wakeup;
    private final RedisHealth health;
    private final PrefetchWindow window;
    private final Consumer<Delivery> dispatch;
    private final String tagPrefix;
    private final long safetyWakeMillis;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong bytesTaken = new AtomicLong();
    private final Wakeup stopSleep = new Wakeup();
    private final List<byte[]> takeKeys;
    private final List<byte[]> queueArgs;
    private volatile boolean running = true;
    private volatile boolean suspended;
    private volatile boolean trackingActive;
    private boolean trackingRefused;
    private int trackedGeneration = Integer.MIN_VALUE;
    /** Whether the next take is armed (tracks the lists it reads); see the class comment. */
    private boolean armNext = true;
    /** Set by an armed take whose EXISTS found every list empty (and so tracked them all). */
    private boolean listsEmptyAndTracked;
    /** The last sleep ended by the safety interval, not by news. */
    private boolean safetyWoken;
    private final byte[][] listKeys;

    TaskTaker(OperatorRuntimeSettings settings, RuntimeKeys keys, Supplier<Jedis> connect, InvalidationListener listener,
              Wakeup wakeup, RedisHealth health, PrefetchWindow window, Consumer<Delivery> dispatch, String workerToken) {
        this.settings = settings;
        this.keys = keys;
        this.connect = connect;
        this.listener = listener;
        this.wakeup = wakeup;
        this.health = health;
        this.window = window;
        this.dispatch = dispatch;
        this.tagPrefix = workerToken;
        this.safetyWakeMillis = settings.safetyWake().toMillis();
        this.takeKeys = keys.takeKeys();
        this.queueArgs = keys.takeQueueArgs();
        this.listKeys = keys.listKeys.stream().map(LuaScript::bytes).toArray(byte[][]::new);
    }

    void suspend(boolean value) {
        suspended = value;
        wakeup.wake();
    }

    /**
     * Bytes of message content take.lua handed to this JVM so far (raw messages, tags, task ids): what shows that an
     * oversize body stays in Redis.
     */
    long bytesTaken() {
        return bytesTaken.get();
    }

    boolean trackingActive() {
        return trackingActive;
    }

    void stop() {
        running = false;
        stopSleep.wake();
        wakeup.wake();
    }

    @Override
    public void run() {
        Backoff.Attempts backoff = Backoff.REDIS_RECONNECT.attempts();
        Jedis jedis = null;
        while (running) {
            wakeup.clear();
            if (suspended || window.free() <= 0) {
                wakeup.await(safetyWakeMillis);
                continue;
            }
            try {
                if (jedis == null) {
                    jedis = connect.get();
                    RuntimeScripts.TAKE.loadInto(jedis);
                    trackedGeneration = Integer.MIN_VALUE; // a new connection has no tracking yet
                    trackingActive = false;
                }
                if (!trackingRefused && listener.generation() != trackedGeneration) {
                    enableTracking(jedis);
                }
                int free = window.free();
                boolean armed = trackingActive && armNext;
                long heard = listener.messages(); // before the take: an invalidation during it counts as news
                int generation = listener.generation();
                listsEmptyAndTracked = false;
                if (armed && safetyWoken) {
                    // the safety wake-up of an idle worker: the lists are most likely still empty and tracked, and
                    // CLIENT CACHING + EXISTS (two commands) says so as well as a take (four with its arming)
                    safetyWoken = false;
                    if (listsStillEmpty(jedis)) {
                        safetyWoken = awaitListsChanged(heard, generation);
                        continue;
                    }
                }
                int taken = takeRound(jedis, free, armed);
                health.succeeded();
                backoff.reset();
                if (listsEmptyAndTracked) {
                    armNext = true;
                    safetyWoken = awaitListsChanged(heard, generation); // a push wakes us; a freed slot does not
                } else if (taken == 0) {
                    armNext = true;
                    if (!trackingActive) {
                        wakeup.await(POLL_MILLIS);
                    } // else: nothing tracks the lists yet, or a push came in between: look again, armed
                } else {
                    // a short round emptied the lists: the next one may find nothing and must then be armed
                    armNext = taken < free;
                }
            } catch (JedisConnectionException e) {
                health.failed(e);
                jedis = closeQuietly(jedis);
                sleep(backoff);
            } catch (RuntimeException e) {
                // a script error or a bug: never let it end the loop, never spin on it
                LOG.error("taking round failed; retrying after back-off", e);
                jedis = closeQuietly(jedis);
                sleep(backoff);
            }
        }
        closeQuietly(jedis);
    }

    /**
     * Sleeps after an armed take found every list empty, until the listener hears of a change (or reconnects), the
     * worker is stopped or suspended, or the safety interval passes. A wake-up only for a freed slot is slept
     * through: the lists were empty when tracking was armed and nothing has changed since, so a take would find
     * nothing (it cost Redis a script call and a round trip per finished task when the worker was idle).
     */
    private boolean awaitListsChanged(long heard, int generation) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(safetyWakeMillis);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0 || !wakeup.await(left)) {
                return true; // the safety wake-up
            }
            wakeup.clear(); // before the checks: a wake-up after them is kept for the next await
            if (!running || suspended || listener.messages() != heard || listener.generation() != generation) {
                return false;
            }
        }
    }

    /** CLIENT CACHING yes + EXISTS over the lists in one round trip: true when all are empty (and tracked again). */
    private boolean listsStillEmpty(Jedis jedis) {
        Pipeline p = jedis.pipelined();
        Response<Object> caching = p.sendCommand(Protocol.Command.CLIENT, "CACHING", "yes");
        Response<Long> exists = p.exists(listKeys);
        p.sync();
        caching.get();
        return exists.get() == 0;
    }

    private void sleep(Backoff.Attempts backoff) {
        stopSleep.clear();
        stopSleep.await(backoff.nextDelayMillis());
    }

    private static Jedis closeQuietly(Jedis jedis) {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // broken anyway
            }
        }
        return null;
    }

    /**
     * CLIENT TRACKING on REDIRECT id OPTIN NOLOOP (Redis 6.0+): only the armed EXISTS tracks the lists; our own pops
     * send us nothing.
     */
    private void enableTracking(Jedis jedis) {
        int generation = listener.generation();
        long redirect = listener.redirectId();
        if (redirect < 0) {
            trackingActive = false; // the listener is (re)connecting: poll meanwhile
            return;
        }
        try {
            jedis.sendCommand(Protocol.Command.CLIENT, "TRACKING", "off");
            jedis.sendCommand(Protocol.Command.CLIENT, "TRACKING", "on", "REDIRECT", Long.toString(redirect), "OPTIN",
                    "NOLOOP");
            trackedGeneration = generation;
            trackingActive = true;
            armNext = true; // a new redirect target knows of no tracked list yet
        } catch (JedisDataException e) {
            trackingRefused = true;
            trackingActive = false;
            LOG.info("Redis refused CLIENT TRACKING ({}); polling the queues every {} ms instead", e.getMessage(),
                    POLL_MILLIS);
        }
    }

    /** take.lua's {length, task id or ""} of a message it dead-lettered for its size. */
    private static Delivery.Oversize oversize(List<?> payload) {
        byte[] id = (byte[]) payload.get(1);
        return new Delivery.Oversize((Long) payload.get(0),
                id.length == 0 ? null : new String(id, StandardCharsets.UTF_8));
    }

    /** One call of take.lua for up to {@code free} messages, armed or not; returns how many were taken. */
    private int takeRound(Jedis jedis, int free, boolean armed) {
        if (free <= 0) {
            return 0;
        }
        List<byte[]> args = new ArrayList<>(3 + queueArgs.size());
        args.add(LuaScript.bytes(Integer.toString(free)));
        args.add(LuaScript.bytes(Integer.toString(settings.maxMessageBytes())));
        // take.lua puts the Redis time in front, so that a restore (also on Redis TIME) can tell a malformed one's age
        args.add(LuaScript.bytes(tagPrefix + ":" + calls.incrementAndGet() + ":"));
        args.addAll(queueArgs);
        Object reply = armed ? armedTake(jedis, args) : RuntimeScripts.TAKE.eval(jedis, takeKeys, args);
        if (!(reply instanceof List<?> flat) || flat.isEmpty()) {
            return 0;
        }
        int count = flat.size() / 4;
        window.taken(count);
        for (int i = 0; i + 3 < flat.size(); i += 4) {
            long kind = (Long) flat.get(i);
            byte[] tag = (byte[]) flat.get(i + 1);
            int list = ((Long) flat.get(i + 2)).intValue() - 1;
            String queue = keys.listQueues.get(list);
            Priority priority = keys.listPriorities.get(list);
            if (kind == 2L) {
                Delivery.Oversize oversize = oversize((List<?>) flat.get(i + 3));
                bytesTaken.addAndGet(tag.length + (oversize.taskId() == null ? 0 : oversize.taskId().length()));
                dispatch.accept(Delivery.deadLetteredOversize(tag, queue, priority, oversize));
            } else {
                byte[] raw = (byte[]) flat.get(i + 3);
                bytesTaken.addAndGet(tag.length + raw.length);
                dispatch.accept(Delivery.taken(tag, kind == 1L, queue, priority, raw));
            }
        }
        return count;
    }

    /**
     * The take, then {@code CLIENT CACHING yes} and a plain {@code EXISTS} over the lists, in one pipelined round
     * trip: the EXISTS (the flag applies to the very next command) tracks exactly the lists, from the instant it
     * finds them empty. Not the script itself: Redis 6.x-7.0 track all of a script's declared keys when a command
     * inside it reads, which would add {@code unacked} and {@code unacked_index}, changed by every ack of any worker.
     * On NOSCRIPT (server restarted, SCRIPT FLUSH) the script is loaded and all three are sent again.
     */
    private Object armedTake(Jedis jedis, List<byte[]> args) {
        for (int attempt = 0; ; attempt++) {
            Pipeline p = jedis.pipelined();
            Response<Object> reply = p.evalsha(RuntimeScripts.TAKE.sha1(), takeKeys, args);
            Response<Object> caching = p.sendCommand(Protocol.Command.CLIENT, "CACHING", "yes");
            Response<Long> exists = p.exists(listKeys);
            p.sync();
            caching.get(); // a refusal must not let the worker sleep untracked: the loop reconnects and re-tracks
            try {
                Object taken = reply.get();
                listsEmptyAndTracked = exists.get() == 0;
                return taken;
            } catch (JedisNoScriptException e) {
                if (attempt > 0) {
                    throw e;
                }
                RuntimeScripts.TAKE.loadInto(jedis);
            }
        }
    }
}
