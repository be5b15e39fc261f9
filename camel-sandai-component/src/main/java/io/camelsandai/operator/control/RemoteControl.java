package io.camelsandai.operator.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.camelsandai.codec.KombuKeys;
import io.camelsandai.util.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Celery remote control ("pidbox") for one worker over Redis, as kombu 5.2 does it, so that {@code celery inspect},
 * {@code celery status}, {@code app.control.revoke} and Flower see and steer the worker.
 *
 * <p>Wire facts (captured from a stock Celery 5.2.6 worker with {@code MONITOR}): the worker adds
 * {@code \x06\x16\x06\x16<node>.celery.pidbox} to {@code _kombu.binding.celery.pidbox} and PSUBSCRIBEs the fanout
 * channel {@code /<db>.celery.pidbox}; a client PUBLISHes a kombu envelope there. A command carrying
 * {@code reply_to = {exchange: reply.celery.pidbox, routing_key: <client id>}} is answered with
 * {@code {<node>: <reply>}}: the worker reads {@code _kombu.binding.reply.celery.pidbox}
 * ({@code routing_key\x06\x16pattern\x06\x16queue} members) and LPUSHes the reply to every queue bound with that
 * routing key ({@code <client id>.reply.celery.pidbox}); with no binding left nobody waits, and nothing is sent.
 * At stop the binding is removed and the node queue deleted, as kombu does for its auto-delete queue.
 *
 * <p>It also sends the worker events {@code worker-online}, {@code worker-heartbeat} (every 2 s) and
 * {@code worker-offline} ({@link WorkerEvents}), so that Flower and {@code celery events} show the worker online.
 *
 * <p>Two threads (subscriber, heartbeat) and two connections (the subscribed one, and one shared for bindings,
 * replies and events); it reconnects with back-off and never lets a bad message or a Redis failure escape.
 */
public final class RemoteControl implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteControl.class);
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final ControlSettings settings;
    private final ControlCommands commands;
    private final WorkerState state;
    private final WorkerEvents events;
    private final ScheduledExecutorService heartbeat;
    private final Object commandLock = new Object();
    private volatile boolean online;
    private final AtomicLong clock = new AtomicLong();
    private final Thread thread;
    private final Object sleepLock = new Object();
    private volatile boolean running = true;
    private volatile Jedis subscribed;
    private volatile boolean listening;
    private Jedis commandConnection;

    public RemoteControl(ControlSettings settings, WorkerState state) {
        this.settings = settings;
        this.commands = new ControlCommands(settings, state, clock::get, clock::incrementAndGet);
        this.state = state;
        this.events = new WorkerEvents(settings.nodeName(), settings.broker().database());
        this.thread = DaemonThreads.thread("sandai-pidbox-" + settings.nodeName(), this::run);
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(
                r -> DaemonThreads.thread("sandai-heartbeat-" + settings.nodeName(), r));
    }

    public void start() {
        thread.start();
        long every = (long) (WorkerEvents.FREQ_SECONDS * 1000);
        heartbeat.scheduleAtFixedRate(this::beat, 0, every, TimeUnit.MILLISECONDS);
    }

    /** {@code worker-online} first (again after a lost connection), then {@code worker-heartbeat}. */
    private void beat() {
        try {
            String kind = online ? "heartbeat" : "online";
            publishEvent(kind);
            online = true;
        } catch (RuntimeException e) {
            online = false;
            LOG.debug("worker heartbeat of {} not sent: {}", settings.nodeName(), e.toString());
        }
    }

    private void publishEvent(String kind) {
        byte[] event = events.envelope(kind, clock.incrementAndGet(), state.activeCount(), state.processed());
        withCommands(j -> j.publish(bytes(events.channel(kind)), event));
    }

    /** True while subscribed to the broadcast channel (the worker answers {@code celery inspect}). */
    public boolean isListening() {
        return listening;
    }

    public String nodeName() {
        return settings.nodeName();
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (running) {
            try (Jedis jedis = settings.subscriber().get()) {
                subscribed = jedis;
                bind();
                Connection c = jedis.getConnection();
                c.setTimeoutInfinite();
                c.sendCommand(Protocol.Command.PSUBSCRIBE, settings.channel());
                c.getOne(); // the psubscribe confirmation
                listening = true;
                backoff = FIRST_BACKOFF_MILLIS;
                LOG.debug("remote control of {} listening on {}", settings.nodeName(), settings.channel());
                while (running) {
                    onPush(c.getOne());
                }
            } catch (RuntimeException e) {
                listening = false;
                if (!running) {
                    break;
                }
                if (backoff == FIRST_BACKOFF_MILLIS) {
                    LOG.warn("remote control of {} lost Redis ({}); retrying with back-off", settings.nodeName(),
                            e.toString());
                } else {
                    LOG.debug("remote control of {} still cannot reach Redis: {}", settings.nodeName(), e.toString());
                }
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            } finally {
                subscribed = null;
                listening = false;
            }
        }
    }

    /** {@code ["pmessage", pattern, channel, data]} for each broadcast. */
    private void onPush(Object push) {
        if (!(push instanceof List<?> parts) || parts.size() != 4 || !(parts.get(3) instanceof byte[] data)) {
            return;
        }
        handle(data);
    }

    /** Handles one published message; never throws (a bad message must not end the subscription). */
    void handle(byte[] data) {
        PidboxMessage message;
        try {
            message = PidboxMessage.parse(data);
        } catch (RuntimeException e) {
            LOG.warn("ignoring malformed remote-control message on {}: {}", settings.channel(), e.getMessage());
            return;
        }
        clock.incrementAndGet(); // Celery forwards its clock on every control message
        clock.updateAndGet(c -> Math.max(c, message.clock()) + 1); // then kombu adjusts to the sender's
        if (!message.isFor(settings.nodeName())) {
            return;
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
        if (message.wantsReply()) {
            try {
                reply(message, reply);
            } catch (RuntimeException e) {
                LOG.warn("could not reply to remote-control command {}: {}", message.method(), e.toString());
            }
        }
    }

    private void reply(PidboxMessage message, Object reply) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(settings.nodeName(), reply);
        byte[] envelope = KombuEnvelope.reply(body, message.contentType(), message.replyExchange(),
                message.replyRoutingKey(), message.ticket(), clock.incrementAndGet());
        withCommands(jedis -> {
            Set<byte[]> bindings = jedis.smembers(bytes(KombuKeys.bindingKey(message.replyExchange())));
            for (String queue : queuesBound(bindings, message.replyRoutingKey())) {
                jedis.lpush(bytes(queue), envelope);
            }
        });
    }

    /** The queues of direct-exchange binding members whose routing key equals {@code routingKey}. */
    static List<String> queuesBound(Set<byte[]> members, String routingKey) {
        List<String> queues = new ArrayList<>();
        for (byte[] member : members) {
            String[] parts = new String(member, StandardCharsets.UTF_8).split(KombuKeys.SEP, -1);
            if (parts.length == 3 && parts[0].equals(routingKey) && !queues.contains(parts[2])) {
                queues.add(parts[2]);
            }
        }
        return queues;
    }

    private void bind() {
        withCommands(j -> j.sadd(KombuKeys.bindingKey(settings.exchange()), nodeBinding()));
    }

    private String nodeBinding() {
        return KombuKeys.SEP + KombuKeys.SEP + settings.nodeQueue();
    }

    /** Runs on the shared command connection (opened on demand, dropped after a failure). */
    private void withCommands(Consumer<Jedis> work) {
        synchronized (commandLock) {
            try {
                if (commandConnection == null) {
                    commandConnection = settings.commands().get();
                }
                work.accept(commandConnection);
            } catch (RuntimeException e) {
                closeCommandConnection();
                throw e;
            }
        }
    }

    private void closeCommandConnection() {
        Jedis j = commandConnection;
        commandConnection = null;
        if (j != null) {
            try {
                j.close();
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
    }

    private void sleep(long millis) {
        synchronized (sleepLock) {
            try {
                if (running) {
                    sleepLock.wait(millis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    /** Stops listening, then removes the binding and the node queue as kombu does for its auto-delete queue. */
    @Override
    public void close() {
        running = false;
        heartbeat.shutdownNow();
        synchronized (sleepLock) {
            sleepLock.notifyAll();
        }
        Jedis j = subscribed;
        if (j != null) {
            try {
                j.disconnect(); // breaks the blocking read
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
        try {
            thread.join(5_000);
            heartbeat.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            withCommands(jedis -> {
                jedis.srem(KombuKeys.bindingKey(settings.exchange()), nodeBinding());
                jedis.del(KombuKeys.pollOrder(settings.nodeQueue()).toArray(String[]::new));
            });
            publishEvent("offline");
        } catch (RuntimeException e) {
            LOG.debug("could not unbind {} and send worker-offline: {}", settings.nodeName(), e.toString());
        } finally {
            synchronized (commandLock) {
                closeCommandConnection();
            }
        }
    }

    /** Test hook: stops without telling Redis anything, as a killed process would. */
    public void halt() {
        running = false;
        heartbeat.shutdownNow();
        Jedis j = subscribed;
        if (j != null) {
            try {
                j.disconnect();
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
        synchronized (commandLock) {
            closeCommandConnection();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
