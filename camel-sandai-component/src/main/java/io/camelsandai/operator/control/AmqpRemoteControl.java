package io.camelsandai.operator.control;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import io.camelsandai.codec.ContentType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Celery remote control ("pidbox") and worker events for one worker on RabbitMQ, as kombu 5.2's {@code pyamqp}
 * transport does it (captured from a stock Celery 5.2.6 worker, see {@code docs/celery-amqp.md}):
 * <ul>
 *   <li>the fanout exchange {@code celery.pidbox} (not durable) and this node's queue {@code <node>.celery.pidbox}
 *       bound to it (not durable, auto-delete, {@code x-expires} 10 s, {@code x-message-ttl} 300 s), consumed
 *       without acks;</li>
 *   <li>a request is the bare pidbox command ({@code {"method", "arguments", "destination", "pattern", "matcher",
 *       "ticket", "reply_to"}}) with header {@code clock}; the reply {@code {<node>: <reply>}} goes to
 *       {@code reply_to.exchange} ({@code reply.celery.pidbox}, direct) with routing key
 *       {@code reply_to.routing_key}, headers {@code ticket} and {@code clock}, in the request's serializer,
 *       delivery mode 1;</li>
 *   <li>worker events go to the durable topic exchange {@code celeryev} with routing key {@code worker.<kind>} and
 *       header {@code hostname}.</li>
 * </ul>
 * It runs on the worker's own connection (its recovery brings the queue, binding and consumer back) with two
 * channels: one consumes, one publishes replies and events, reopened after a channel error (say, a reply to an
 * exchange someone deleted) so that one bad request never ends remote control.
 */
public final class AmqpRemoteControl implements RemoteControl {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpRemoteControl.class);
    /** Celery's {@code control_queue_expires} and {@code control_queue_ttl} (5.2 defaults), in milliseconds. */
    static final int QUEUE_EXPIRES_MILLIS = 10_000;
    static final int QUEUE_MESSAGE_TTL_MILLIS = 300_000;

    private final ControlSettings settings;
    private final PidboxNode node;
    private final Connection connection;
    private final Object publishLock = new Object();
    private final Set<String> declaredReplyExchanges = ConcurrentHashMap.newKeySet();
    private Channel publishChannel;
    private volatile Channel consumeChannel;
    private volatile String consumerTag;

    public AmqpRemoteControl(ControlSettings settings, Connection connection, WorkerState state) {
        this.settings = settings;
        this.node = new PidboxNode(settings, state);
        this.connection = connection;
    }

    /**
     * Declares the three exchanges (as a Celery worker does at start, so that they exist before any event) and this
     * node's queue, and starts consuming it. When RabbitMQ refuses (say, a queue of that name declared with other
     * arguments, or no permission on the exchanges) the worker runs without remote control and says so: tasks
     * matter more than {@code celery inspect}.
     */
    @Override
    public void start() {
        Channel ch = null;
        try {
            ch = connection.createChannel();
            ch.exchangeDeclare(settings.exchange(), "fanout", false, false, null);
            ch.exchangeDeclare("reply." + settings.exchange(), "direct", false, false, null);
            ch.exchangeDeclare(WorkerEvents.EXCHANGE, "topic", true, false, null);
            Map<String, Object> arguments = new HashMap<>();
            arguments.put("x-expires", QUEUE_EXPIRES_MILLIS);
            arguments.put("x-message-ttl", QUEUE_MESSAGE_TTL_MILLIS);
            ch.queueDeclare(settings.nodeQueue(), false, false, true, arguments);
            ch.queueBind(settings.nodeQueue(), settings.exchange(), "");
            consumeChannel = ch;
            consumerTag = ch.basicConsume(settings.nodeQueue(), true, (tag, delivery) -> handle(delivery),
                    tag -> LOG.warn("RabbitMQ cancelled the remote-control consumer of {}", settings.nodeName()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("remote control of {} could not be set up on RabbitMQ ({}); the worker runs without it",
                    settings.nodeName(), e.getCause() != null ? e.getCause().toString() : e.toString());
            consumeChannel = null;
            consumerTag = null;
            closeQuietly(ch);
            return;
        }
        node.startHeartbeat(this::publishEvent);
        LOG.debug("remote control of {} consuming {}", settings.nodeName(), settings.nodeQueue());
    }

    /** Handles one request; never throws (a bad message must not end the consumer). */
    void handle(Delivery delivery) {
        AMQP.BasicProperties props = delivery.getProperties();
        PidboxMessage message;
        try {
            Map<String, Object> headers = props.getHeaders() != null ? props.getHeaders() : Map.of();
            long clock = headers.get("clock") instanceof Number n ? n.longValue() : 0;
            message = PidboxMessage.fromBody(delivery.getBody(), ContentType.fromMimeType(props.getContentType()),
                    clock);
        } catch (RuntimeException e) {
            LOG.warn("ignoring malformed remote-control message on {}: {}", settings.nodeQueue(), e.getMessage());
            return;
        }
        Map<String, Object> reply = node.handle(message);
        if (reply == null) {
            return;
        }
        try {
            reply(message, reply);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not reply to remote-control command {}: {}", message.method(), e.toString());
        }
    }

    private void reply(PidboxMessage message, Map<String, Object> body) throws IOException {
        ContentType type = message.contentType();
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("ticket", message.ticket());
        headers.put("clock", node.forwardClock());
        byte[] bytes = type.encode(body);
        String exchange = message.replyExchange();
        withPublishChannel(ch -> {
            if (!declaredReplyExchanges.contains(exchange)) { // kombu declares it before replying, too
                ch.exchangeDeclare(exchange, "direct", false, false, null);
                declaredReplyExchanges.add(exchange);
            }
            ch.basicPublish(exchange, message.replyRoutingKey(), transientProperties(type, headers), bytes);
        });
    }

    private void publishEvent(String kind, Map<String, Object> body) {
        byte[] bytes = ContentType.JSON.encode(body);
        AMQP.BasicProperties props = transientProperties(ContentType.JSON, node.events().headers());
        try {
            withPublishChannel(ch -> ch.basicPublish(WorkerEvents.EXCHANGE, WorkerEvents.routingKey(kind), props,
                    bytes));
        } catch (IOException e) {
            throw new IllegalStateException(e.toString(), e);
        }
    }

    private static AMQP.BasicProperties transientProperties(ContentType type, Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder().contentType(type.mimeType())
                .contentEncoding(type.contentEncoding()).deliveryMode(1).priority(0).headers(headers).build();
    }

    private interface ChannelWork {
        void run(Channel channel) throws IOException;
    }

    /** Runs on the publishing channel, opened on demand (again after a channel error). */
    private void withPublishChannel(ChannelWork work) throws IOException {
        synchronized (publishLock) {
            try {
                if (publishChannel == null || !publishChannel.isOpen()) {
                    declaredReplyExchanges.clear();
                    publishChannel = connection.createChannel();
                }
                work.run(publishChannel);
            } catch (IOException | RuntimeException e) {
                closeQuietly(publishChannel);
                publishChannel = null;
                throw e;
            }
        }
    }

    /** True while this node's queue is consumed (the worker answers {@code celery inspect}). */
    @Override
    public boolean isListening() {
        Channel ch = consumeChannel;
        return consumerTag != null && ch != null && ch.isOpen();
    }

    @Override
    public String nodeName() {
        return settings.nodeName();
    }

    /**
     * Stops consuming (RabbitMQ then deletes the auto-delete node queue, as for a Python worker) and sends
     * {@code worker-offline}. Call it before the connection closes.
     */
    @Override
    public void close() {
        node.stopHeartbeat(true);
        Channel ch = consumeChannel;
        consumeChannel = null;
        try {
            if (ch != null && ch.isOpen() && consumerTag != null) {
                ch.basicCancel(consumerTag);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not cancel the remote-control consumer of {}: {}", settings.nodeName(), e.toString());
        }
        closeQuietly(ch);
        try {
            publishEvent("offline", node.event("offline"));
        } catch (RuntimeException e) {
            LOG.debug("could not send worker-offline of {}: {}", settings.nodeName(), e.toString());
        }
        synchronized (publishLock) {
            closeQuietly(publishChannel);
            publishChannel = null;
        }
    }

    @Override
    public void halt() {
        node.stopHeartbeat(false);
    }

    private static void closeQuietly(Channel ch) {
        if (ch == null || !ch.isOpen()) {
            return;
        }
        try {
            ch.close();
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException ignored) {
            // the connection is going away anyway
        }
    }
}
