package io.camelsandai.operator.control;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import io.camelsandai.util.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker-neutral half of a remote-control node: runs the commands meant for this node (kombu's
 * {@code Node.handle_message}), keeps the Lamport clock as Celery does, and drives the event heartbeat. The wires
 * ({@link RedisRemoteControl}, {@link AmqpRemoteControl}) only receive bytes and send replies and events.
 */
final class PidboxNode {
    private static final Logger LOG = LoggerFactory.getLogger(PidboxNode.class);

    private final ControlSettings settings;
    private final WorkerState state;
    private final ControlCommands commands;
    private final WorkerEvents events;
    private final AtomicLong clock = new AtomicLong();
    private final ScheduledExecutorService heartbeat;
    private volatile boolean online;

    PidboxNode(ControlSettings settings, WorkerState state) {
        this.settings = settings;
        this.state = state;
        this.commands = new ControlCommands(settings, state, clock::get, clock::incrementAndGet);
        this.events = new WorkerEvents(settings.nodeName());
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(
                r -> DaemonThreads.thread("sandai-heartbeat-" + settings.nodeName(), r));
    }

    ControlSettings settings() {
        return settings;
    }

    WorkerEvents events() {
        return events;
    }

    /** The clock value for a header or event, forwarded as Celery's {@code clock.forward()} does. */
    long forwardClock() {
        return clock.incrementAndGet();
    }

    /**
     * Runs a decoded command and returns the reply body {@code {<node>: <reply>}}, or null when the command is not
     * for this node or wants no reply. Never throws: a failing command answers {@code {"error": ...}}.
     */
    Map<String, Object> handle(PidboxMessage message) {
        clock.incrementAndGet(); // Celery forwards its clock on every control message
        clock.updateAndGet(c -> Math.max(c, message.clock()) + 1); // then kombu adjusts to the sender's
        if (!message.isFor(settings.nodeName())) {
            return null;
        }
        Object reply;
        try {
            reply = commands.run(message.method(), message.arguments());
        } catch (ControlCommands.UnknownCommand e) {
            LOG.warn("no such remote-control command: {}", message.method());
            reply = ControlCommands.nok(e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("remote-control command {} failed: {}", message.method(), e.toString());
            reply = ControlCommands.nok(e.getClass().getSimpleName() + "(" + e.getMessage() + ")");
        }
        if (!message.wantsReply()) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(settings.nodeName(), reply);
        return body;
    }

    /**
     * Sends {@code worker-online} now, then {@code worker-heartbeat} every 2 s; after a failed send the next one is
     * {@code worker-online} again (the broker may have lost us). {@code send} gets the kind and the event body.
     */
    void startHeartbeat(BiConsumer<String, Map<String, Object>> send) {
        long every = (long) (WorkerEvents.FREQ_SECONDS * 1000);
        heartbeat.scheduleAtFixedRate(() -> {
            try {
                String kind = online ? "heartbeat" : "online";
                send.accept(kind, event(kind));
                online = true;
            } catch (RuntimeException e) {
                online = false;
                LOG.debug("worker heartbeat of {} not sent: {}", settings.nodeName(), e.toString());
            }
        }, 0, every, TimeUnit.MILLISECONDS);
    }

    /** The body of a worker event of {@code kind} ({@code online}, {@code heartbeat}, {@code offline}). */
    Map<String, Object> event(String kind) {
        return events.body(kind, forwardClock(), state.activeCount(), state.processed());
    }

    /** Stops the heartbeat; waits for a send under way so that {@code worker-offline} comes last. */
    void stopHeartbeat(boolean wait) {
        heartbeat.shutdownNow();
        if (!wait) {
            return;
        }
        try {
            heartbeat.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
