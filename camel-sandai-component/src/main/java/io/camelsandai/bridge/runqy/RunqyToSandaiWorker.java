package io.camelsandai.bridge.runqy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.codec.PythonJson;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskExecutionException;
import io.camelsandai.model.TaskTimeoutException;
import io.camelsandai.transport.RedisConnector;
import io.camelsandai.transport.RedisUrl;
import io.camelsandai.util.DaemonThreads;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Acts as a runqy worker: takes tasks from runqy queues (the asynq layout on the runqy Redis) and runs each by
 * calling a Sandai operator.
 *
 * <ul>
 * <li>Taking is one Lua move pending -> active with a lease (asynq's dequeue), so a task is never only in our
 *     memory; leases are renewed every lease/2 while the operator works.</li>
 * <li>Success: {@code completed}, with the operator result {@code {"status","artifacts","results"}} as JSON in
 *     {@code result} when result storage is on.</li>
 * <li>A retryable operator failure, a timeout or a transport error: {@code retry} with runqy's backoff while
 *     {@code retried < max_retry}, else {@code archived}. A non-retryable failure (and cancelled/deadline/invalid
 *     results) is archived at once, as runqy archives a permanent error.</li>
 * <li>A {@code msg} that does not decode, or a payload that is not JSON: archived with the reason.</li>
 * <li>Maintenance: due {@code retry}/{@code scheduled} entries go back to pending, expired leases (a dead worker)
 *     are recovered to retry or archive, and expired completed/archived entries are purged.</li>
 * <li>Stop: stops taking, lets in-flight tasks finish within the shutdown timeout, and puts the rest back at the
 *     head of pending.</li>
 * </ul>
 */
public final class RunqyToSandaiWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunqyToSandaiWorker.class);
    static final String LEASE_EXPIRED = "task lease expired (its worker stopped answering)";

    private final RunqyWorkerSettings settings;
    /** Resolved at start: from the settings, or from the runqy server's handshake. */
    private volatile QueuePlan plan;
    private RedisUrl redisUrl;
    private boolean storeResult;
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final Semaphore permits;
    private final Object idle = new Object();
    private OperatorClient client;
    private final boolean ownsClient;
    /** Set when the operator is called through something else than an OperatorClient (e.g. a Camel producer). */
    private final OperatorCaller caller;
    private JedisPool pool;
    private AsynqStore store;
    private Thread loop;
    private ScheduledExecutorService leaseRenewer;
    private ExecutorService finisher;
    private volatile boolean running;
    private volatile boolean redisReachable;
    private long nextMaintenanceNanos;

    /** One task we hold; {@code leaseExpiry} is the last lease Redis confirmed (EPOCH once lost). */
    private static final class InFlight {
        final AsynqKeys keys;
        final String id;
        volatile Instant leaseExpiry;

        InFlight(AsynqKeys keys, String id, Instant leaseExpiry) {
            this.keys = keys;
            this.id = id;
            this.leaseExpiry = leaseExpiry;
        }

        String key() {
            return keys.queue() + "\u0000" + id;
        }
    }

    /** Creates (and closes on stop) its own operator client from {@code settings.operatorSettings()}. */
    public RunqyToSandaiWorker(RunqyWorkerSettings settings) {
        this(settings, null, null);
    }

    /** Uses a shared operator client, left open on stop. */
    public RunqyToSandaiWorker(RunqyWorkerSettings settings, OperatorClient client) {
        this(settings, client, null);
    }

    /**
     * Runs each task through {@code caller} instead of an {@link OperatorClient} (no client is created; the
     * operator settings of {@code settings} are not used). The caller's stage fails with the typed exceptions an
     * OperatorClient uses ({@link TaskExecutionException}, {@link TaskTimeoutException}, ...), which decide retry or
     * archive as usual.
     */
    public RunqyToSandaiWorker(RunqyWorkerSettings settings, OperatorCaller caller) {
        this(settings, null, java.util.Objects.requireNonNull(caller, "caller"));
    }

    /** How the worker reaches the operator when it is not through an {@link OperatorClient}. */
    @FunctionalInterface
    public interface OperatorCaller {
        java.util.concurrent.CompletionStage<OperatorResult> call(OperatorRequest request, CallOptions options);
    }

    private RunqyToSandaiWorker(RunqyWorkerSettings settings, OperatorClient client, OperatorCaller caller) {
        this.settings = settings;
        this.client = client;
        this.caller = caller;
        this.ownsClient = client == null && caller == null;
        this.permits = new Semaphore(settings.concurrency());
    }

    public RunqyWorkerSettings settings() {
        return settings;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        resolveQueues();
        if (client == null && caller == null) {
            client = OperatorClient.create(settings.operatorName(), settings.operatorVersion(), settings.operatorSettings());
        }
        pool = new RedisConnector(redisUrl, settings.tls(), Duration.ofSeconds(5))
                .pool("runqy-to-sandai", settings.concurrency() + 3, Duration.ofSeconds(10));
        store = new AsynqStore(pool, settings.pendingSinceUnit());
        finisher = Executors.newFixedThreadPool(Math.min(4, settings.concurrency()),
                r -> DaemonThreads.thread("runqy-finisher", r));
        leaseRenewer = Executors.newSingleThreadScheduledExecutor(r -> DaemonThreads.thread("runqy-lease", r));
        long renewMillis = Math.max(500, settings.lease().toMillis() / 2);
        leaseRenewer.scheduleWithFixedDelay(this::renewLeases, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
        running = true;
        loop = DaemonThreads.thread("runqy-to-sandai-" + settings.operatorName(), this::takeLoop);
        loop.start();
        LOG.info("runqy worker started: {}, taking from {} on {}", settings, plan, redisUrl);
    }

    /**
     * Decides the Redis and the queues: as configured, or by registering with the runqy server (its sub-queues
     * weighted by their priorities, its {@code redis_storage} unless storeResult was set).
     *
     * @throws RunqyException when the handshake fails
     */
    private void resolveQueues() {
        if (settings.serverUrl() == null) {
            redisUrl = settings.redisUrl();
            storeResult = settings.storeResult();
            plan = QueuePlan.strict(settings.queues().stream().map(AsynqKeys::of).toList());
            return;
        }
        RunqyWorkerRegistration.Assignment a = RunqyWorkerRegistration.assign(settings.serverUrl(),
                settings.workerKey(), settings.queues(), settings.workerVersion());
        redisUrl = a.redis();
        storeResult = settings.storeResultSet() || a.redisStorage() == null ? settings.storeResult() : a.redisStorage();
        plan = QueuePlan.weighted(a.subQueues().stream().map(sq -> AsynqKeys.of(sq.name())).toList(),
                a.subQueues().stream().map(RunqyWorkerRegistration.SubQueue::priority).toList(), new Random());
        LOG.info("runqy worker registered with {}: Redis {}, sub-queues {}, redis_storage {}", settings.serverUrl(),
                redisUrl, a.subQueues(), storeResult);
    }

    public int inFlight() {
        return inFlight.size();
    }

    public boolean isLoopAlive() {
        return running && loop != null && loop.isAlive();
    }

    /** Redis answered the last take attempt. */
    public boolean isRedisReachable() {
        return redisReachable;
    }

    // ---- taking ------------------------------------------------------------------------------------------------

    private void takeLoop() {
        boolean warned = false;
        while (running) {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                break;
            }
            boolean took = false;
            try {
                maintainIfDue();
                for (AsynqKeys keys : plan.nextOrder()) {
                    Instant leaseExpiry = Instant.now().plus(settings.lease());
                    AsynqStore.Dequeued d = store.dequeue(keys, leaseExpiry);
                    if (d != null) {
                        took = true;
                        start(d, leaseExpiry);
                        break;
                    }
                }
                redisReachable = true;
                warned = false;
            } catch (JedisException e) {
                redisReachable = false;
                if (!warned) {
                    LOG.warn("runqy Redis {} unreachable, retrying: {}", redisUrl, e.getMessage());
                    warned = true;
                }
            } catch (RuntimeException e) {
                LOG.error("runqy worker loop error (continuing)", e);
            }
            if (!took) {
                permits.release();
                waitIdle(settings.pollInterval());
            }
        }
    }

    private void waitIdle(Duration d) {
        synchronized (idle) {
            if (running) {
                try {
                    idle.wait(Math.max(1, d.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    private void start(AsynqStore.Dequeued d, Instant leaseExpiry) {
        InFlight f = new InFlight(d.keys(), d.id(), leaseExpiry);
        inFlight.put(f.key(), f);
        Instant now = Instant.now();
        if (d.fields().isEmpty()) {
            LOG.warn("runqy task {} in {} has no hash (expired or deleted); dropped from active", d.id(), d.keys());
            done(f);
            return;
        }
        RunqyTaskRecord task;
        try {
            task = RunqyTaskRecord.read(d.id(), d.keys().queue(), d.fields());
        } catch (MalformedTaskMessageException e) {
            LOG.error("runqy task {} in {}: {}; archived", d.id(), d.keys(), e.getMessage());
            finishAsync(f, () -> store.archive(f.keys, f.id, Instant.now(), "cannot decode asynq TaskMessage: "
                    + e.getMessage(), settings.archivedTtl(), null, null));
            return;
        }
        if (task.pendingTooLong(now)) {
            String why = "pending timeout: waited " + Duration.between(task.pendingSince(), now).getSeconds()
                         + "s before pickup";
            finishAsync(f, () -> store.archive(f.keys, f.id, Instant.now(), why,
                    task.archivedTtl(settings.archivedTtl()), null, null));
            return;
        }
        OperatorRequest request;
        try {
            request = task.toRequest();
        } catch (IllegalArgumentException e) {
            LOG.error("runqy task {} in {}: {}; archived", d.id(), d.keys(), e.getMessage());
            finishAsync(f, () -> store.archive(f.keys, f.id, Instant.now(), e.getMessage(),
                    task.archivedTtl(settings.archivedTtl()), failedMsg(task, task.retried(), e.getMessage()), null));
            return;
        }
        Duration timeout = task.timeout(settings.defaultTaskTimeout(), now);
        CallOptions options = new CallOptions(settings.priority(), timeout, null, false, null);
        // tracing hook: an asynq task's headers (TaskMessage field 15) may carry the W3C context of its enqueuer
        try (io.camelsandai.tracing.TracingScope trace = io.camelsandai.tracing.SandaiTracing.global()
                .enter(task.msg() == null ? java.util.Map.of() : task.msg().headers())) {
            (caller != null ? caller.call(request, options) : client.callAsync(request, options, null))
                    .whenCompleteAsync((result, error) -> finish(f, task, result, error), finisher);
        } catch (RuntimeException e) {
            finishAsync(f, () -> finish(f, task, null, e));
        }
    }

    private void finishAsync(InFlight f, Runnable move) {
        finisher.execute(() -> {
            try {
                move.run();
            } catch (RuntimeException e) {
                LOG.error("runqy task {}: state move failed ({}); it stays active until its lease expires", f.id,
                        e.getMessage());
            } finally {
                done(f);
            }
        });
    }

    // ---- finishing ---------------------------------------------------------------------------------------------

    private void finish(InFlight f, RunqyTaskRecord task, OperatorResult result, Throwable error) {
        try {
            Instant now = Instant.now();
            if (!f.leaseExpiry.isAfter(now)) {
                LOG.warn("runqy task {} in {}: lease lost before it finished; left to lease recovery", f.id, f.keys);
                return;
            }
            boolean moved = withRetries(() -> error == null ? complete(f, task, result, now) : fail(f, task, error, now));
            if (!moved) {
                LOG.warn("runqy task {} in {} was no longer active (recovered elsewhere); outcome dropped", f.id, f.keys);
            }
        } catch (RuntimeException e) {
            LOG.error("runqy task {}: could not record its outcome ({}); it stays active until its lease expires",
                    f.id, e.getMessage());
        } finally {
            done(f);
        }
    }

    private boolean complete(InFlight f, RunqyTaskRecord task, OperatorResult result, Instant now) {
        byte[] stored = storeResult ? PythonJson.encode(result.toMap()) : null;
        byte[] msg = task.msg() == null ? null : task.msg().withCompletedAt(now.getEpochSecond()).encode();
        return store.complete(f.keys, f.id, now, stored, task.completedTtl(settings.completedTtl()), msg);
    }

    private boolean fail(InFlight f, RunqyTaskRecord task, Throwable error, Instant now) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String message;
        boolean retryable;
        if (cause instanceof TaskExecutionException te) {
            message = te.errorType() + ": " + te.errorMessage();
            retryable = te.isRetryable();
        } else if (cause instanceof TaskTimeoutException) {
            message = "active timeout exceeded";
            retryable = true;
        } else if (cause instanceof io.camelsandai.model.TaskException) {
            message = cause.getClass().getSimpleName() + ": " + cause.getMessage(); // cancelled, deadline, bad result
            retryable = false;
        } else {
            message = cause.getClass().getSimpleName() + ": " + cause.getMessage(); // transport trouble
            retryable = true;
        }
        return retryOrArchive(f, task, message, retryable, now, null);
    }

    private boolean retryOrArchive(InFlight f, RunqyTaskRecord task, String message, boolean retryable, Instant now,
                                   Instant leaseGuard) {
        if (retryable && task.retried() < task.maxRetry()) {
            int retried = task.retried() + 1;
            String text = message + " (will retry)";
            Instant at = now.plus(settings.retryDelay(retried));
            LOG.info("runqy task {} in {} failed ({}), retry {}/{} at {}", f.id, f.keys, message, retried,
                    task.maxRetry(), at);
            return store.retry(f.keys, f.id, now, at, retried, text, failedMsg(task, retried, text), leaseGuard);
        }
        LOG.info("runqy task {} in {} archived: {}", f.id, f.keys, message);
        return store.archive(f.keys, f.id, now, message, task.archivedTtl(settings.archivedTtl()),
                failedMsg(task, task.retried(), message), leaseGuard);
    }

    private static byte[] failedMsg(RunqyTaskRecord task, int retried, String error) {
        return task.msg() == null ? null : task.msg().withFailure(retried, error, Instant.now().getEpochSecond()).encode();
    }

    private static boolean withRetries(java.util.function.BooleanSupplier move) {
        JedisException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return move.getAsBoolean();
            } catch (JedisException e) {
                last = e;
                try {
                    TimeUnit.MILLISECONDS.sleep(200L << attempt); // Redis blip: a short pause, then again
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw last;
    }

    private void done(InFlight f) {
        if (inFlight.remove(f.key(), f)) {
            permits.release();
        }
        synchronized (inFlight) {
            inFlight.notifyAll();
        }
    }

    // ---- leases and maintenance --------------------------------------------------------------------------------

    private void renewLeases() {
        Map<AsynqKeys, List<InFlight>> byQueue = new LinkedHashMap<>();
        inFlight.values().forEach(f -> byQueue.computeIfAbsent(f.keys, k -> new ArrayList<>()).add(f));
        byQueue.forEach((keys, list) -> {
            Instant expiry = Instant.now().plus(settings.lease());
            try {
                List<Boolean> held = store.extendLeases(keys, list.stream().map(f -> f.id).toList(), expiry);
                for (int i = 0; i < list.size(); i++) {
                    list.get(i).leaseExpiry = held.get(i) ? expiry : Instant.EPOCH;
                }
            } catch (RuntimeException e) {
                LOG.warn("runqy leases of {} not renewed: {}", keys, e.getMessage());
            }
        });
    }

    private void maintainIfDue() {
        long now = System.nanoTime();
        if (now - nextMaintenanceNanos < 0) {
            return;
        }
        nextMaintenanceNanos = now + settings.maintenanceInterval().toNanos();
        for (AsynqKeys keys : plan.all()) {
            Instant t = Instant.now();
            store.forwardDue(keys, t);
            recoverExpiredLeases(keys, t);
            store.purgeExpired(keys, t);
        }
    }

    private void recoverExpiredLeases(AsynqKeys keys, Instant now) {
        for (String id : store.expiredLeases(keys, now)) {
            InFlight f = new InFlight(keys, id, Instant.EPOCH);
            Map<String, byte[]> fields = store.fields(keys, id);
            if (fields.isEmpty()) {
                if (store.dropOrphan(keys, id, now)) {
                    LOG.warn("runqy task {} in {}: lease expired and its hash is gone; removed from active", id, keys);
                }
                continue;
            }
            boolean moved;
            try {
                RunqyTaskRecord task = RunqyTaskRecord.read(id, keys.queue(), fields);
                moved = retryOrArchive(f, task, LEASE_EXPIRED, true, now, now);
            } catch (MalformedTaskMessageException e) {
                moved = store.archive(keys, id, now, "cannot decode asynq TaskMessage: " + e.getMessage(),
                        settings.archivedTtl(), null, now);
            }
            if (moved) {
                LOG.warn("runqy task {} in {}: lease expired, recovered", id, keys);
            }
        }
    }

    // ---- stopping ----------------------------------------------------------------------------------------------

    /** Stops taking, waits for in-flight tasks up to the shutdown timeout, and returns the rest to pending. */
    @Override
    public synchronized void close() {
        if (!running && loop == null) {
            return;
        }
        stopTaking();
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        synchronized (inFlight) {
            while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
                try {
                    inFlight.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        for (InFlight f : List.copyOf(inFlight.values())) {
            f.leaseExpiry = Instant.EPOCH; // a late outcome must not overwrite the requeued state
            try {
                if (store.requeue(f.keys, f.id, Instant.now())) {
                    LOG.info("runqy task {} in {} did not finish before stop; put back to pending", f.id, f.keys);
                }
            } catch (RuntimeException e) {
                LOG.warn("runqy task {} not put back ({}); it will be recovered when its lease expires", f.id, e.getMessage());
            }
        }
        release();
        LOG.info("runqy worker stopped: {}", settings);
    }

    /** Alias of {@link #close()}. */
    public void stop() {
        close();
    }

    private void stopTaking() {
        running = false;
        synchronized (idle) {
            idle.notifyAll();
        }
        if (loop != null) {
            loop.interrupt();
            try {
                loop.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void release() {
        leaseRenewer.shutdownNow();
        finisher.shutdown();
        try {
            finisher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
        if (ownsClient && client != null) {
            client.close();
            client = null;
        }
        loop = null;
        inFlight.clear();
    }
}
