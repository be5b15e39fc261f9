package io.camelsandai.operator.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.camelsandai.codec.KombuKeys;
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
 * <p>One thread with two connections (the subscribed one and one for bindings and replies); it reconnects with
 * back-off and never lets a bad message or a Redis failure escape.
 */
public final class RemoteControl implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteControl.class);
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final ControlSettings settings;
    private final ControlCommands commands;
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
        this.thread = new Thread(this::run, "sandai-pidbox-" + settings.nodeName());
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
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
                closeCommandConnection();
                if (!running) {
                    break;
                }
                LOG.warn("remote control of {} lost Redis ({}); retrying in {} ms", settings.nodeName(), e.toString(),
                        backoff);
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            } finally {
                subscribed = null;
                listening = false;
            }
        }
        closeCommandConnection();
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
                closeCommandConnection();
                LOG.warn("could not reply to remote-control command {}: {}", message.method(), e.toString());
            }
        }
    }

    private void reply(PidboxMessage message, Object reply) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(settings.nodeName(), reply);
        byte[] envelope = KombuReply.envelope(body, message.contentType(), message.replyExchange(),
                message.replyRoutingKey(), message.ticket(), clock.incrementAndGet());
        Jedis jedis = commands();
        Set<byte[]> bindings = jedis.smembers(bytes(KombuKeys.bindingKey(message.replyExchange())));
        for (String queue : queuesBound(bindings, message.replyRoutingKey())) {
            jedis.lpush(bytes(queue), envelope);
        }
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
        commands().sadd(KombuKeys.bindingKey(settings.exchange()), nodeBinding());
    }

    private String nodeBinding() {
        return KombuKeys.SEP + KombuKeys.SEP + settings.nodeQueue();
    }

    private Jedis commands() {
        if (commandConnection == null) {
            commandConnection = settings.commands().get();
        }
        return commandConnection;
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        unbind();
    }

    private void unbind() {
        try (Jedis jedis = settings.commands().get()) {
            jedis.srem(KombuKeys.bindingKey(settings.exchange()), nodeBinding());
            jedis.del(KombuKeys.pollOrder(settings.nodeQueue()).toArray(String[]::new));
        } catch (RuntimeException e) {
            LOG.debug("could not remove the remote-control binding of {}: {}", settings.nodeName(), e.toString());
        }
    }

    /** Test hook: stops without telling Redis anything, as a killed process would. */
    public void halt() {
        running = false;
        Jedis j = subscribed;
        if (j != null) {
            try {
                j.disconnect();
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
