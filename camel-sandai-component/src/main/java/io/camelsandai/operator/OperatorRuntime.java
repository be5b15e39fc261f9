package io.camelsandai.operator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.camelsandai.client.OperatorSettings;
import io.camelsandai.operator.control.AmqpRemoteControl;
import io.camelsandai.operator.control.BrokerInfo;
import io.camelsandai.operator.control.ControlSettings;
import io.camelsandai.operator.control.RedisRemoteControl;
import io.camelsandai.operator.control.RemoteControl;
import io.camelsandai.operator.control.WorkerState;
import io.camelsandai.model.BrokerUnavailableException;
import io.camelsandai.transport.RedisConnector;
import io.camelsandai.transport.amqp.AmqpConnectionSettings;
import io.camelsandai.transport.amqp.AmqpConnections;
import io.camelsandai.util.DaemonThreads;
import io.camelsandai.util.TaskThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * Serves one operator from Redis as a Celery-compatible worker: takes tasks from its four queues in strict priority
 * order, runs them through an {@link OperatorHandler}, writes Celery-compatible results, and never loses a task.
 *
 * <p>Guarantees: taking a message and recording it in kombu's {@code unacked}/{@code unacked_index} is one atomic
 * script, so a kill at any instant loses nothing and any worker (Java or Python) restores it after the visibility
 * timeout; with {@code acksLate} the ack goes in the same script as the result write. Malformed messages are
 * answered when possible and moved to the dead-letter list; nothing stops the taking loop but {@link #close()}.
 *
 * <p>Threads: one taker, one invalidation listener, one or two Redis writers, one restorer, one eta timer,
 * {@code concurrency} task threads, and with remote control a pidbox listener and an event heartbeat. Connections:
 * taker, listener, one writer per Redis (broker, backend), one restorer connection at a time, and with remote
 * control a subscribed pidbox connection and one for its replies and events. On RabbitMQ remote control uses two
 * channels of the worker's connection ({@link AmqpRemoteControl}).
 */
public final class OperatorRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);
    private static final int SOCKET_TIMEOUT_MILLIS = 30_000;

    private final OperatorRuntimeSettings settings;
    private final OperatorHandler handler;
    private final RuntimeKeys keys;
    private final Set<Delivery> inFlight = ConcurrentHashMap.newKeySet();
    private final ReentrantLock settledLock = new ReentrantLock();
    private final Condition settledCondition = settledLock.newCondition();
    private final Wakeup wakeup = new Wakeup();
    private final RedisHealth health;
    private final WorkerState workerState = new WorkerState();

    private volatile boolean started;
    private volatile boolean closed;
    private PrefetchWindow window;
    private EtaHolds etaHolds;
    private TaskProcessor processor;
    private InvalidationListener listener;
    private CommandBatcher brokerWriter;
    private CommandBatcher backendWriter;
    private TaskThreads workers;
    private ScheduledExecutorService maintenance;
    private TaskTaker taker;
    private Thread takerThread;
    private Restorer restorer;
    private RedisConnector brokerConnector;
    private RemoteControl remoteControl;
    private RedisProbe probe;
    private AmqpTaskSource amqpSource;
    private AmqpConfirmedPublisher amqpPublisher;

    public OperatorRuntime(OperatorRuntimeSettings settings, OperatorHandler handler) {
        this.settings = settings;
        this.handler = handler;
        this.keys = new RuntimeKeys(settings);
        this.health = new RedisHealth("operator " + settings.operatorName() + ":" + settings.operatorVersion());
    }

    public OperatorRuntimeSettings settings() {
        return settings;
    }

    /** Starts taking tasks (after a first restore pass of timed-out unacked messages). */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("OperatorRuntime already started");
        }
        started = true;
        if (settings.amqpBroker() != null) {
            startOnAmqp();
            return;
        }
        OperatorSettings c = settings.connection();
        String id = settings.operatorName() + "-" + settings.operatorVersion();
        brokerConnector = new RedisConnector(c.brokerUrl(), c.tls(), c.connectTimeout());
        boolean sameRedis = c.brokerUrl().equals(c.resultBackendUrl());
        RedisConnector backendConnector = sameRedis ? brokerConnector
                : new RedisConnector(c.resultBackendUrl(), c.tls(), c.connectTimeout());
        String clientName = ("sandai-operator-" + id).replaceAll("[^A-Za-z0-9_.:\\-]", "_");

        window = new PrefetchWindow(settings.prefetch(), settings.maxHeldEtaTasks());
        brokerWriter = new CommandBatcher("sandai-" + id + "-writer",
                () -> brokerConnector.open(clientName + "-writer", SOCKET_TIMEOUT_MILLIS), health, c.durability());
        backendWriter = sameRedis ? brokerWriter : new CommandBatcher("sandai-" + id + "-result-writer",
                () -> backendConnector.open(clientName + "-results", SOCKET_TIMEOUT_MILLIS), health, c.durability());
        probe = new RedisProbe(() -> brokerConnector.open(clientName + "-probe", RedisProbe.READ_TIMEOUT_MILLIS),
                health);
        workers = new TaskThreads("sandai-" + id + "-task", settings.concurrency());
        // a held task comes due on the timer thread and is processed again (expiry re-checked) on a task thread
        etaHolds = new EtaHolds("sandai-" + id + "-eta", window, wakeup::wake,
                this::dispatch);
        processor = new TaskProcessor(settings, RuntimeTracing.wrap(handler, settings),
                new RedisTaskLedger(settings, keys, backendWriter, brokerWriter, sameRedis), etaHolds, this::settled,
                workerState, this::dispatch, d -> { });
        restorer = new Restorer(settings, keys,
                () -> brokerConnector.open(clientName + "-restore", SOCKET_TIMEOUT_MILLIS), () -> List.copyOf(inFlight));
        listener = new InvalidationListener("sandai-" + id + "-wakeup",
                () -> brokerConnector.open(clientName + "-wakeup", 0), wakeup, health);
        String workerToken = UUID.randomUUID().toString().substring(0, 8);
        taker = new TaskTaker(settings, keys, () -> brokerConnector.open(clientName + "-taker", SOCKET_TIMEOUT_MILLIS),
                listener, wakeup, health, window, d -> {
                    inFlight.add(d);
                    dispatch(d);
                }, workerToken);

        maintenance = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("sandai-" + id + "-restore"));
        restorer.runOnce(); // restore before taking, as kombu does at start
        long every = Restorer.intervalMillis(settings);
        maintenance.scheduleWithFixedDelay(restorer::runOnce, every, every, TimeUnit.MILLISECONDS);

        if (settings.remoteControl()) {
            remoteControl = new RedisRemoteControl(controlSettings(BrokerInfo.of(c.brokerUrl())), c.brokerUrl(),
                    () -> brokerConnector.open(clientName + "-pidbox", 0),
                    () -> brokerConnector.open(clientName + "-pidbox-reply", SOCKET_TIMEOUT_MILLIS), workerState);
            remoteControl.start();
        }
        takerThread = DaemonThreads.start("sandai-" + id + "-taker", taker);
        LOG.info("operator {}:{} serving {} with concurrency {}, prefetch {}, acksLate {}", settings.operatorName(),
                settings.operatorVersion(), keys.queues, settings.concurrency(), settings.prefetch(),
                settings.acksLate());
    }


    /**
     * The worker on RabbitMQ: the same task logic, eta holds and task threads, with an {@link AmqpTaskSource} in
     * place of the Redis taker/restorer and an {@link AmqpTaskLedger} in place of the Redis scripts.
     */
    private void startOnAmqp() {
        OperatorSettings c = settings.connection();
        String id = settings.operatorName() + "-" + settings.operatorVersion();
        // the window bounds what is handed to the task threads; RabbitMQ's basic.qos bounds what is delivered
        window = new PrefetchWindow(settings.concurrency(), settings.maxHeldEtaTasks());
        workers = new TaskThreads("sandai-" + id + "-task", settings.concurrency());
        etaHolds = new EtaHolds("sandai-" + id + "-eta", window, () -> amqpSource.pump(), this::dispatch);
        amqpSource = new AmqpTaskSource(settings, keys.queues, window, etaHolds::count, inFlight::add,
                this::dispatch, this::dropped);
        com.rabbitmq.client.Connection connection;
        try {
            connection = AmqpConnections.open(settings.amqpBroker(),
                    AmqpConnectionSettings.DEFAULT.withTls(c.tls()), "sandai-operator-" + id);
            amqpPublisher = new AmqpConfirmedPublisher(connection);
            amqpPublisher.declareDurableQueue(settings.deadLetterQueue());
        } catch (java.io.IOException e) {
            throw new BrokerUnavailableException(e.getMessage(), e);
        }
        AmqpResults results;
        if (settings.rpcResults()) {
            results = AmqpResults.rpc(amqpPublisher, c.resultSerializer());
        } else {
            RedisConnector backendConnector = new RedisConnector(c.resultBackendUrl(), c.tls(), c.connectTimeout());
            String clientName = ("sandai-operator-" + id).replaceAll("[^A-Za-z0-9_.:\\-]", "_");
            backendWriter = new CommandBatcher("sandai-" + id + "-result-writer",
                    () -> backendConnector.open(clientName + "-results", SOCKET_TIMEOUT_MILLIS), health,
                    c.durability());
            results = AmqpResults.redis(backendWriter, c.resultExpiresSeconds(), c.resultSerializer());
        }
        processor = new TaskProcessor(settings, RuntimeTracing.wrap(handler, settings),
                new AmqpTaskLedger(amqpSource, results, amqpPublisher, settings.deadLetterQueue()), etaHolds,
                this::settled, workerState, this::dispatch, this::handlerDone);
        try {
            amqpSource.start(connection);
        } catch (java.io.IOException e) {
            throw new BrokerUnavailableException("cannot consume from RabbitMQ: " + e.getMessage(), e);
        }
        if (settings.remoteControl()) {
            remoteControl = new AmqpRemoteControl(controlSettings(BrokerInfo.of(settings.amqpBroker())), connection,
                    workerState);
            remoteControl.start();
        }
        LOG.info("operator {}:{} serving {} on RabbitMQ {} with concurrency {}, prefetch {}, acksLate {}, results {}",
                settings.operatorName(), settings.operatorVersion(), keys.queues, settings.amqpBroker(),
                settings.concurrency(), settings.prefetch(), settings.acksLate(),
                settings.rpcResults() ? "rpc://" : c.resultBackendUrl());
    }

    private ControlSettings controlSettings(BrokerInfo broker) {
        OperatorSettings c = settings.connection();
        return new ControlSettings(settings.workerName(), ControlSettings.DEFAULT_NAMESPACE, broker, keys.queues,
                List.of(c.taskName(), c.descTaskName()), settings.concurrency(), settings.prefetch());
    }

    /** A delivery that will not run here (AMQP: void after a connection recovery, or returned at stop). */
    private void dropped(Delivery d) {
        inFlight.remove(d);
        signalSettled();
    }

    /** A task taken, or come due: reserved until a task thread and a concurrency slot take it. */
    private void dispatch(Delivery d) {
        processor.reserve(d);
        workers.execute(() -> processor.process(d));
    }

    /**
     * AMQP: the handler of {@code d} finished; its dispatch slot is free while the result is written and confirmed,
     * so the confirm round trip does not idle a task thread.
     */
    private void handlerDone(Delivery d) {
        if (d.state().windowFreed.compareAndSet(false, true)) {
            window.settled();
            amqpSource.pump();
        }
    }

    private void settled(Delivery d) {
        inFlight.remove(d);
        if (d.state().windowFreed.compareAndSet(false, true)) {
            window.settled();
        }
        wakeup.wake();
        if (amqpSource != null) {
            amqpSource.settled(d);
        }
        signalSettled();
    }

    private void signalSettled() {
        settledLock.lock();
        try {
            settledCondition.signalAll();
        } finally {
            settledLock.unlock();
        }
    }

    /** Stops taking new tasks; in-flight ones go on. */
    public void suspend() {
        requireStarted();
        if (amqpSource != null) {
            amqpSource.suspend(true);
            return;
        }
        taker.suspend(true);
    }

    public void resume() {
        requireStarted();
        if (amqpSource != null) {
            amqpSource.suspend(false);
            return;
        }
        taker.suspend(false);
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("OperatorRuntime not started");
        }
    }

    /** True while the worker answers Celery remote control ({@code celery inspect}, revoke). */
    public boolean isRemoteControlListening() {
        return remoteControl != null && remoteControl.isListening();
    }

    /** Tasks taken and not yet finished, including those held for their eta. */
    public int inFlight() {
        return inFlight.size();
    }

    /** Tasks taken and waiting for their Celery eta (countdown). */
    public int heldForEta() {
        return etaHolds == null ? 0 : etaHolds.count();
    }

    /** Tasks running in the handler now. */
    public int active() {
        return workerState.activeCount();
    }

    /** Tasks taken and waiting for a free slot (prefetched), as {@code celery inspect reserved} reports them. */
    public int reserved() {
        return workerState.reservedCount();
    }

    /** The last tasks that failed, ended past their deadline or were refused (dead-lettered), newest first. */
    public List<Map<String, Object>> recentFailures() {
        return workerState.recentFailures().snapshot();
    }

    /** What remote control reports (tests check that its entries end with their tasks). */
    WorkerState workerState() {
        return workerState;
    }

    /** Liveness: the taking loop runs. */
    public boolean isLoopAlive() {
        if (amqpSource != null) {
            return started && !closed; // the client recovers the connection and its consumers by itself
        }
        return started && !closed && takerThread != null && takerThread.isAlive();
    }

    /** Readiness: Redis answers a PING now (checked at most twice a second); on AMQP: the connection is open. */
    public boolean isRedisReachable() {
        if (amqpSource != null) {
            return started && !closed && amqpSource.isOpen();
        }
        return started && !closed && probe.reachable();
    }

    /** Test hook: bytes of message content the Redis taker received from take.lua so far (0 on RabbitMQ). */
    long bytesTaken() {
        return taker == null ? 0 : taker.bytesTaken();
    }

    /** True when pushes wake the taker through CLIENT TRACKING (false: it polls every 50 ms). */
    public boolean isWakeupTracking() {
        return taker != null && taker.trackingActive();
    }

    /** Messages the wake-up listener received (tests: what tracking costs Redis in writes). */
    long wakeupMessages() {
        return listener == null ? 0 : listener.messages();
    }

    /**
     * Graceful stop: stop taking, let in-flight tasks finish within the shutdown timeout, return the rest and the
     * tasks held for their eta to the head of their queues.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (!started || closed) {
                closed = true;
                return;
            }
            closed = true;
        }
        if (amqpSource != null) {
            closeOnAmqp();
            return;
        }
        taker.stop();
        join(takerThread);
        etaHolds.stop(); // held tasks are not waited for: they go back to their queues below
        if (remoteControl != null) {
            remoteControl.close(); // `celery inspect` stops listing this node as it stops taking
        }
        processor.stopRetrying(); // tasks waiting for Redis are returned below with the other unfinished ones
        awaitInFlight(settings.shutdownTimeout().toMillis());
        probe.close();
        List<Delivery> unfinished = new ArrayList<>(inFlight);
        unfinished.forEach(d -> {
            d.state().returnedToQueue = true;
            processor.returned(d);
        });
        maintenance.shutdownNow();
        if (!unfinished.isEmpty()) {
            returnToQueues(unfinished);
        }
        brokerWriter.close();
        if (backendWriter != brokerWriter) {
            backendWriter.close();
        }
        workers.shutdownNow();
        listener.close();
        LOG.info("operator {}:{} stopped; {} unfinished tasks returned to their queues", settings.operatorName(),
                settings.operatorVersion(), unfinished.size());
    }

    /** Graceful stop on RabbitMQ: as on Redis, with {@code basic.nack(requeue)} as the way back to the queue. */
    private void closeOnAmqp() {
        amqpSource.stopConsuming();
        etaHolds.stop();
        if (remoteControl != null) {
            remoteControl.close(); // before the connection closes: its consumer goes, worker-offline is sent
        }
        processor.stopRetrying();
        awaitInFlight(settings.shutdownTimeout().toMillis());
        List<Delivery> unfinished = new ArrayList<>(inFlight);
        unfinished.forEach(d -> {
            d.state().returnedToQueue = true;
            processor.returned(d);
            amqpSource.giveBack(d);
        });
        amqpPublisher.close();
        amqpSource.close();
        if (backendWriter != null) {
            backendWriter.close();
        }
        workers.shutdownNow();
        LOG.info("operator {}:{} stopped; {} unfinished tasks returned to their queues", settings.operatorName(),
                settings.operatorVersion(), unfinished.size());
    }

    private void awaitInFlight(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        settledLock.lock();
        try {
            while (inFlight.size() > etaHolds.count()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                settledCondition.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            settledLock.unlock();
        }
    }

    private void returnToQueues(List<Delivery> unfinished) {
        try (Jedis jedis = brokerConnector.open("sandai-operator-shutdown", SOCKET_TIMEOUT_MILLIS)) {
            for (Delivery d : unfinished) {
                restorer.returnToQueue(jedis, d);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not return {} unfinished tasks to their queues ({}); they are restored after the "
                     + "visibility timeout", unfinished.size(), e.toString());
        }
    }

    private static void join(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Test hook: stops every thread at once without telling Redis anything, as {@code kill -9} would. */
    void halt() {
        synchronized (this) {
            closed = true;
        }
        if (amqpSource != null) {
            if (remoteControl != null) {
                remoteControl.halt();
            }
            amqpSource.abort(); // RabbitMQ requeues every unacked task, as when the process dies
            etaHolds.stop();
            processor.stopRetrying();
            if (backendWriter != null) {
                backendWriter.halt();
            }
            workers.shutdownNow();
            return;
        }
        if (taker == null) {
            return;
        }
        taker.stop();
        etaHolds.stop();
        if (remoteControl != null) {
            remoteControl.halt();
        }
        maintenance.shutdownNow();
        processor.stopRetrying();
        probe.close();
        brokerWriter.halt();
        backendWriter.halt();
        workers.shutdownNow();
        listener.close();
        join(takerThread);
    }
}
