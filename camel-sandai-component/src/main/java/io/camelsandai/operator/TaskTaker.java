package io.camelsandai.operator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.camelsandai.model.Priority;
import io.camelsandai.transport.LuaScript;
import io.camelsandai.util.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The taking loop. Each round takes as many messages as there are free slots with one call of {@code take.lua}
 * (pop and record in flight, atomically, in strict priority order); see {@link PrefetchWindow}. When nothing was waiting it sleeps until the
 * invalidation listener reports a push to one of its queues (CLIENT TRACKING), a slot frees, or the safety interval (one second) passes;
 * when the server refuses CLIENT TRACKING it polls every 50 ms instead. A message over {@code maxMessageBytes} is
 * dead-lettered by the script itself; only its length and task id come back (see take.lua).
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
                int taken = takeRound(jedis, window.free());
                health.succeeded();
                backoff.reset();
                if (taken == 0) {
                    wakeup.await(trackingActive ? safetyWakeMillis : POLL_MILLIS);
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

    /** CLIENT TRACKING on REDIRECT id BCAST PREFIX q... NOLOOP: pushes to our queues wake us, our own pops do not. */
    private void enableTracking(Jedis jedis) {
        int generation = listener.generation();
        long redirect = listener.redirectId();
        if (redirect < 0) {
            trackingActive = false; // the listener is (re)connecting: poll meanwhile
            return;
        }
        List<String> args = new ArrayList<>(List.of("TRACKING", "on", "REDIRECT", Long.toString(redirect), "BCAST"));
        for (String queue : keys.queues) {
            args.add("PREFIX");
            args.add(queue);
        }
        args.add("NOLOOP");
        try {
            jedis.sendCommand(Protocol.Command.CLIENT, "TRACKING", "off");
            jedis.sendCommand(Protocol.Command.CLIENT, args.toArray(new String[0]));
            trackedGeneration = generation;
            trackingActive = true;
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

    /** One call of take.lua for up to {@code free} messages; returns how many were taken. */
    private int takeRound(Jedis jedis, int free) {
        if (free <= 0) {
            return 0;
        }
        List<byte[]> args = new ArrayList<>(3 + queueArgs.size());
        args.add(LuaScript.bytes(Integer.toString(free)));
        args.add(LuaScript.bytes(Integer.toString(settings.maxMessageBytes())));
        // take.lua puts the Redis time in front, so that a restore (also on Redis TIME) can tell a malformed one's age
        args.add(LuaScript.bytes(tagPrefix + ":" + calls.incrementAndGet() + ":"));
        args.addAll(queueArgs);
        Object reply = RuntimeScripts.TAKE.eval(jedis, takeKeys, args);
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
}
