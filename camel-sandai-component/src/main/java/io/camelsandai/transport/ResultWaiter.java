package io.camelsandai.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.camelsandai.codec.MalformedMessageException;
import io.camelsandai.codec.ResultMeta;
import io.camelsandai.model.InvalidResultFormatException;
import io.camelsandai.model.SandaiException;
import io.camelsandai.util.DaemonThreads;
import io.camelsandai.util.TaskThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Waits for many task results over one connection. Every waited-for id is SUBSCRIBEd on a single shared pub/sub
 * connection (as a Celery client subscribes before it sends); a sweeper MGETs ids that have waited a while, which
 * catches results published while the subscription was not in place (reconnects, late waiters). No thread is
 * parked per waiting task and no connection is held per task.
 *
 * <p>Subscription changes are queued and written in batches, several channels per command: a SUBSCRIBE is written
 * before {@link #await} returns (by this caller, or by a concurrent one that holds the write lock and takes it
 * along), so the subscription still precedes the send; an UNSUBSCRIBE is not urgent (a late message for a finished
 * task is ignored) and is written by the sweeper thread a moment later, together with whatever else finished
 * meanwhile. Under load this turns two commands and two socket writes per call into a few per batch. What is
 * written follows the state at write time (subscribe what is waited for, unsubscribe what is not), so the order in
 * which changes of one id were queued cannot leave it in the wrong state.
 *
 * <p>Continuations of the returned futures run on this waiter's completion threads, never on the reader thread, so
 * a slow caller cannot delay other results: there is no practical bound on those threads, as with a cached thread
 * pool, but a thread that finishes a completion takes the next waiting one itself and an idle one is woken only when
 * none is awake ({@link TaskThreads}), so a burst of results does not wake a thread per result (the cached pool's
 * hand-off cost each result a thread wake-up). Progress listeners run on the reader thread and must not block.
 */
final class ResultWaiter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResultWaiter.class);
    private static final long SWEEP_TICK_MILLIS = 200;
    private static final int MGET_CHUNK = 500;
    private static final byte[] META_PREFIX = ResultBackend.META_PREFIX.getBytes(StandardCharsets.UTF_8);
    /** Channels per SUBSCRIBE/UNSUBSCRIBE command. */
    static final int CHANNELS_PER_COMMAND = 1000;
    /** A completion thread idle this long ends, as a cached thread pool's threads do. */
    private static final Duration COMPLETION_THREAD_IDLE = Duration.ofSeconds(60);
    /**
     * How long finished ids gather before one UNSUBSCRIBE lets go of them all. A late UNSUBSCRIBE costs nothing (a
     * message for a finished task is ignored); at 2 ms the sweeper thread woke and wrote up to 500 times a second.
     */
    private static final long UNSUBSCRIBE_DELAY_MICROS = 20_000;

    private final ResultBackend backend;
    private final Supplier<Jedis> connect;
    private final String name;
    private final byte[] controlChannel;
    private final Map<String, Entry> waiting = new ConcurrentHashMap<>();
    private final ReentrantLock commandLock = new ReentrantLock();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final TaskThreads completions;
    private final Queue<String> toSubscribe = new ConcurrentLinkedQueue<>();
    private final Queue<String> toUnsubscribe = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean unsubscribeQueued = new AtomicBoolean();
    private final LookSchedule<Entry> looks = new LookSchedule<>();

    private volatile Listener listener;
    private volatile Jedis connection;
    private volatile boolean closed;
    private Thread reader;
    private ScheduledExecutorService sweeper;

    private static final class Entry extends LookSchedule.Slot {
        final String taskId;
        final CompletableFuture<ResultMeta> result = new CompletableFuture<>();
        /** Made on the first listener: most waits have none, and a waiting call should cost little heap. */
        private volatile List<Consumer<ResultMeta>> progressListeners = List.of();
        int waiters; // guarded by the entry

        synchronized void addProgressListener(Consumer<ResultMeta> listener) {
            List<Consumer<ResultMeta>> more = new ArrayList<>(progressListeners);
            more.add(listener);
            progressListeners = List.copyOf(more);
        }

        Entry(String taskId) {
            this.taskId = taskId;
        }
    }

    ResultWaiter(ResultBackend backend, Supplier<Jedis> connect, String scopeIdentity) {
        this.backend = backend;
        this.connect = connect;
        this.name = scopeIdentity;
        this.controlChannel = ("sandai-waiter-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        this.completions = new TaskThreads("sandai-result-" + scopeIdentity, Integer.MAX_VALUE,
                COMPLETION_THREAD_IDLE);
    }

    CompletableFuture<ResultMeta> await(String taskId, Consumer<ResultMeta> onProgress, boolean lookNow) {
        if (closed) {
            return CompletableFuture.failedFuture(new SandaiException("result backend is closed"));
        }
        ensureStarted();
        boolean[] created = {false};
        Entry entry = waiting.compute(taskId, (id, old) -> {
            if (old != null && !old.result.isDone()) {
                return old;
            }
            created[0] = true;
            return new Entry(id);
        });
        synchronized (entry) {
            entry.waiters++;
        }
        if (onProgress != null) {
            entry.addProgressListener(onProgress);
        }
        if (created[0]) {
            looks.register(entry, System.nanoTime());
            subscribe(taskId);
        }
        if (lookNow) {
            looks.lookNow(entry);
            sweeper.execute(this::sweep);
        }
        CompletableFuture<ResultMeta> mine = entry.result.thenApplyAsync(meta -> meta, completions);
        // A caller that stops waiting (timeout, cancel) lets go of the subscription once nobody else waits.
        mine.whenComplete((meta, error) -> release(entry));
        return mine;
    }

    void cancel(String taskId) {
        Entry entry = waiting.remove(taskId);
        if (entry != null) {
            unsubscribe(taskId);
            entry.result.cancel(false);
        }
    }

    int pendingCount() {
        return waiting.size();
    }

    private void release(Entry entry) {
        boolean last;
        synchronized (entry) {
            last = --entry.waiters <= 0;
        }
        if (last && waiting.remove(entry.taskId, entry)) {
            unsubscribe(entry.taskId);
        }
    }

    private void deliver(String taskId, byte[] raw) {
        Entry entry = waiting.get(taskId);
        if (entry == null || entry.result.isDone()) {
            return;
        }
        ResultMeta meta;
        try {
            meta = ResultMeta.decode(raw);
        } catch (MalformedMessageException e) {
            finish(entry, null, new InvalidResultFormatException(taskId, e.getMessage()));
            return;
        }
        if (meta.isFinal()) {
            finish(entry, meta, null);
        } else {
            for (Consumer<ResultMeta> l : entry.progressListeners) {
                try {
                    l.accept(meta);
                } catch (RuntimeException e) {
                    LOG.debug("progress listener of task {} failed: {}", taskId, e.toString());
                }
            }
        }
    }

    private void finish(Entry entry, ResultMeta meta, Throwable error) {
        if (waiting.remove(entry.taskId, entry)) {
            unsubscribe(entry.taskId);
        }
        if (error == null) {
            entry.result.complete(meta);
        } else {
            entry.result.completeExceptionally(error);
        }
    }

    // ---- subscription management -------------------------------------------------------------------------

    /** {@code celery-task-meta-<id>} as bytes, built once (not as a String first). */
    private static byte[] channel(String taskId) {
        byte[] id = taskId.getBytes(StandardCharsets.UTF_8);
        byte[] channel = Arrays.copyOf(META_PREFIX, META_PREFIX.length + id.length);
        System.arraycopy(id, 0, channel, META_PREFIX.length, id.length);
        return channel;
    }

    /** Returns once the SUBSCRIBE is written (or the reader will subscribe it when it is (re)connected). */
    private void subscribe(String taskId) {
        toSubscribe.add(taskId);
        writePending();
    }

    /** Queues the UNSUBSCRIBE; the sweeper thread writes it shortly, with the others that gathered meanwhile. */
    private void unsubscribe(String taskId) {
        toUnsubscribe.add(taskId);
        if (unsubscribeQueued.compareAndSet(false, true)) {
            try {
                sweeper.schedule(() -> {
                    unsubscribeQueued.set(false);
                    writePending();
                }, UNSUBSCRIBE_DELAY_MICROS, TimeUnit.MICROSECONDS);
            } catch (RuntimeException e) {
                unsubscribeQueued.set(false); // closing: the connection goes away with every subscription
            }
        }
    }

    /**
     * Writes every queued subscription change, from any thread, as few commands in one socket write. Whoever holds
     * the lock takes along what others queued meanwhile, so a caller that waited for the lock finds its channel
     * already written. A failed write is repaired by the reader's resubscribe after it reconnects.
     */
    private void writePending() {
        Listener l = listener;
        if (l == null || !l.ready) {
            return; // the reader subscribes everything waiting once it is (re)connected
        }
        commandLock.lock();
        try {
            if (toSubscribe.isEmpty() && toUnsubscribe.isEmpty()) {
                return;
            }
            // after the drains: an id whose state changes from here on is queued again and written after this
            List<byte[]> off = drain(toUnsubscribe, false);
            List<byte[]> on = drain(toSubscribe, true);
            List<byte[][]> unsubscribes = commands(off);
            List<byte[][]> subscribes = commands(on);
            int last = unsubscribes.size() + subscribes.size() - 1;
            int i = 0;
            for (byte[][] channels : unsubscribes) {
                send(l, Protocol.Command.UNSUBSCRIBE, channels, i++ == last);
            }
            for (byte[][] channels : subscribes) {
                send(l, Protocol.Command.SUBSCRIBE, channels, i++ == last);
            }
        } catch (RuntimeException e) {
            LOG.debug("pub/sub write failed, the reader will resubscribe: {}", e.toString());
        } finally {
            commandLock.unlock();
        }
    }

    /**
     * Distinct channels of the queued ids that are (subscribe) or are not (unsubscribe) waited for now. Mostly one id
     * (a caller subscribing alone), so no set is made until a second one comes.
     */
    private List<byte[]> drain(Queue<String> queue, boolean waited) {
        String first = queue.poll();
        if (first == null) {
            return List.of();
        }
        String second = queue.poll();
        if (second == null) {
            return waiting.containsKey(first) == waited ? List.of(channel(first)) : List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        ids.add(first);
        ids.add(second);
        for (String id; (id = queue.poll()) != null; ) {
            ids.add(id);
        }
        List<byte[]> channels = new ArrayList<>(ids.size());
        for (String id : ids) {
            if (waiting.containsKey(id) == waited) {
                channels.add(channel(id));
            }
        }
        return channels;
    }

    private static List<byte[][]> commands(List<byte[]> channels) {
        if (channels.isEmpty()) {
            return List.of();
        }
        if (channels.size() <= CHANNELS_PER_COMMAND) {
            return Collections.singletonList(channels.toArray(byte[][]::new)); // one command
        }
        List<byte[][]> out = new ArrayList<>();
        for (List<byte[]> chunk : ResultBackend.chunks(channels, CHANNELS_PER_COMMAND)) {
            out.add(chunk.toArray(byte[][]::new));
        }
        return out;
    }

    /** All but the last command stay in the connection's buffer; the last one is written with a flush. */
    private void send(Listener l, Protocol.Command command, byte[][] channels, boolean flush) {
        Jedis c = connection;
        if (!flush && c != null) {
            c.getConnection().sendCommand(command, channels);
        } else if (command == Protocol.Command.SUBSCRIBE) {
            l.subscribe(channels);
        } else {
            l.unsubscribe(channels); // never without channels: that would mean "from everything"
        }
    }

    private final class Listener extends BinaryJedisPubSub {
        volatile boolean ready;

        @Override
        public void onSubscribe(byte[] channel, int subscribedChannels) {
            if (!ready && Arrays.equals(channel, controlChannel)) {
                ready = true;
                // Whatever was registered before this point is (re)subscribed now, and looked up once, since its
                // result may have been published while nobody listened.
                toSubscribe.addAll(waiting.keySet());
                writePending();
                looks.lookNowAll(waiting.values());
                sweeper.execute(ResultWaiter.this::sweep);
            }
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
            if (channel.length >= META_PREFIX.length
                && Arrays.equals(channel, 0, META_PREFIX.length, META_PREFIX, 0, META_PREFIX.length)) {
                // the id straight from the channel's bytes: one String, not the whole name and then its tail
                deliver(new String(channel, META_PREFIX.length, channel.length - META_PREFIX.length,
                        StandardCharsets.UTF_8), message);
            }
        }
    }

    // ---- threads -------------------------------------------------------------------------------------------

    private synchronized void ensureStarted() {
        if (reader != null || closed) {
            return;
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(
                r -> DaemonThreads.thread("sandai-result-sweep-" + name, r));
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_TICK_MILLIS, SWEEP_TICK_MILLIS, TimeUnit.MILLISECONDS);
        reader = DaemonThreads.start("sandai-result-reader-" + name, this::readLoop);
    }

    private void readLoop() {
        long backoffMillis = 100;
        boolean outageReported = false;
        while (!closed) {
            Listener l = new Listener();
            try (Jedis jedis = connect.get()) {
                connection = jedis;
                listener = l;
                if (outageReported) {
                    LOG.info("Result backend {} is reachable again; resuming {} waits", backend.url(), waiting.size());
                    outageReported = false;
                }
                backoffMillis = 100;
                jedis.subscribe(l, controlChannel); // returns when unsubscribed from everything, or throws
            } catch (RuntimeException e) {
                if (!closed && !outageReported) {
                    LOG.warn("Result backend {} unreachable ({}); {} waits kept, retrying", backend.url(),
                            e.getMessage(), waiting.size());
                    outageReported = true;
                }
            } finally {
                listener = null;
                connection = null;
            }
            try {
                if (closedLatch.await(backoffMillis, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            backoffMillis = Math.min(backoffMillis * 2, 5_000);
        }
    }

    /** Looks up the stored results of the waits that asked for it or are due (see {@link LookSchedule}). */
    private void sweep() {
        if (closed) {
            return;
        }
        List<String> due = new ArrayList<>();
        looks.due(System.nanoTime(), this::stillWaited).forEach(e -> due.add(e.taskId));
        try {
            for (List<String> chunk : ResultBackend.chunks(due, MGET_CHUNK)) {
                backend.getRaw(chunk).forEach((id, raw) -> {
                    if (raw != null) {
                        deliver(id, raw);
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.debug("result sweep failed (will retry): {}", e.toString());
        }
    }

    private boolean stillWaited(Entry entry) {
        return !entry.result.isDone() && waiting.get(entry.taskId) == entry;
    }

    @Override
    public void close() {
        closed = true;
        closedLatch.countDown();
        Listener l = listener;
        if (l != null && l.ready) {
            commandLock.lock();
            try {
                l.unsubscribe();
            } catch (RuntimeException ignored) {
                // connection already gone
            } finally {
                commandLock.unlock();
            }
        }
        Jedis c = connection;
        Thread t;
        synchronized (this) {
            t = reader;
        }
        if (t != null) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive() && c != null) {
                c.disconnect(); // a reader stuck on a dead socket
            }
        }
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        SandaiException closedError = new SandaiException("result backend closed while waiting");
        waiting.values().forEach(e -> e.result.completeExceptionally(closedError));
        waiting.clear();
        completions.shutdown();
    }
}
