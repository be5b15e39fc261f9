package io.camelsandai.operator.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.camelsandai.codec.KombuKeys;
import io.camelsandai.transport.RedisUrl;
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
 * The commands themselves are run by {@link PidboxNode}, shared with {@link AmqpRemoteControl}.
 *
 * <p>Two threads (subscriber, heartbeat) and two connections (the subscribed one, and one shared for bindings,
 * replies and events); it reconnects with back-off and never lets a bad message or a Redis failure escape.
 */
public final class RedisRemoteControl implements RemoteControl {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRemoteControl.class);
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final ControlSettings settings;
    private final PidboxNode node;
    private final RedisUrl broker;
    private final Supplier<Jedis> subscriber;
    private final Supplier<Jedis> commands;
    private final Object commandLock = new Object();
    private final Thread thread;
    private final Object sleepLock = new Object();
    private volatile boolean running = true;
    private volatile Jedis subscribed;
    private volatile boolean listening;
    private Jedis commandConnection;

    /**
     * @param broker     the broker URL (its database number prefixes kombu's fanout channel names)
     * @param subscriber opens the connection that stays PSUBSCRIBEd (no read timeout)
     * @param commands   opens the connection used for bindings, replies and events
     */
    public RedisRemoteControl(ControlSettings settings, RedisUrl broker, Supplier<Jedis> subscriber,
                              Supplier<Jedis> commands, WorkerState state) {
        this.settings = settings;
        this.node = new PidboxNode(settings, state);
        this.broker = broker;
        this.subscriber = subscriber;
        this.commands = commands;
        this.thread = DaemonThreads.thread("sandai-pidbox-" + settings.nodeName(), this::run);
    }

    @Override
    public void start() {
        thread.start();
        node.startHeartbeat(this::publishEvent);
    }

    private void publishEvent(String kind, Map<String, Object> body) {
        byte[] event = node.events().redisEnvelope(kind, body);
        String channel = "/" + broker.database() + "." + WorkerEvents.EXCHANGE + "/" + WorkerEvents.routingKey(kind);
        withCommands(j -> j.publish(bytes(channel), event));
    }

    /** The PUBLISH channel of the fanout exchange, with kombu's default {@code fanout_prefix} {@code /<db>.}. */
    private String channel() {
        return "/" + broker.database() + "." + settings.exchange();
    }

    /** True while subscribed to the broadcast channel (the worker answers {@code celery inspect}). */
    @Override
    public boolean isListening() {
        return listening;
    }

    @Override
    public String nodeName() {
        return settings.nodeName();
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (running) {
            try (Jedis jedis = subscriber.get()) {
                subscribed = jedis;
                bind();
                Connection c = jedis.getConnection();
                c.setTimeoutInfinite();
                c.sendCommand(Protocol.Command.PSUBSCRIBE, channel());
                c.getOne(); // the psubscribe confirmation
                listening = true;
                backoff = FIRST_BACKOFF_MILLIS;
                LOG.debug("remote control of {} listening on {}", settings.nodeName(), channel());
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
            LOG.warn("ignoring malformed remote-control message on {}: {}", channel(), e.getMessage());
            return;
        }
        Map<String, Object> reply = node.handle(message);
        if (reply != null) {
            try {
                reply(message, reply);
            } catch (RuntimeException e) {
                LOG.warn("could not reply to remote-control command {}: {}", message.method(), e.toString());
            }
        }
    }

    private void reply(PidboxMessage message, Map<String, Object> body) {
        byte[] envelope = KombuEnvelope.reply(body, message.contentType(), message.replyExchange(),
                message.replyRoutingKey(), message.ticket(), node.forwardClock());
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
                    commandConnection = commands.get();
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
        node.stopHeartbeat(false);
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
        node.stopHeartbeat(true);
        try {
            withCommands(jedis -> {
                jedis.srem(KombuKeys.bindingKey(settings.exchange()), nodeBinding());
                jedis.del(KombuKeys.pollOrder(settings.nodeQueue()).toArray(String[]::new));
            });
            publishEvent("offline", node.event("offline"));
        } catch (RuntimeException e) {
            LOG.debug("could not unbind {} and send worker-offline: {}", settings.nodeName(), e.toString());
        } finally {
            synchronized (commandLock) {
                closeCommandConnection();
            }
        }
    }

    @Override
    public void halt() {
        running = false;
        node.stopHeartbeat(false);
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
