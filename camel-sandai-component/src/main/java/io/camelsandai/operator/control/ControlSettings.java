package io.camelsandai.operator.control;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import io.camelsandai.transport.RedisUrl;
import redis.clients.jedis.Jedis;

/**
 * What the remote-control node of one worker needs to know.
 *
 * @param nodeName     the Celery node name ({@code name@host}) the worker answers as
 * @param namespace    Celery's {@code control_exchange} ({@code celery}): exchanges {@code <ns>.pidbox} and
 *                     {@code reply.<ns>.pidbox}
 * @param broker       the broker URL (its database number prefixes kombu's fanout channel names)
 * @param queues       the queues the worker consumes, for {@code active_queues}
 * @param taskNames    the task names it serves, for {@code registered}
 * @param subscriber   opens the connection that stays PSUBSCRIBEd (no read timeout)
 * @param commands     opens the connection used for bindings and replies
 */
public record ControlSettings(String nodeName, String namespace, RedisUrl broker, List<String> queues,
        List<String> taskNames, int concurrency, int prefetch, Supplier<Jedis> subscriber, Supplier<Jedis> commands) {

    public static final String DEFAULT_NAMESPACE = "celery";

    public ControlSettings {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(broker, "broker");
        queues = List.copyOf(queues);
        taskNames = List.copyOf(taskNames);
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(commands, "commands");
    }

    /** kombu's fanout exchange of broadcasts: {@code celery.pidbox}. */
    String exchange() {
        return namespace + ".pidbox";
    }

    /** The PUBLISH channel of the fanout exchange, with kombu's default {@code fanout_prefix} {@code /<db>.}. */
    String channel() {
        return "/" + broker.database() + "." + exchange();
    }

    /** This node's (never filled) queue bound to the fanout exchange: {@code <node>.celery.pidbox}. */
    String nodeQueue() {
        return nodeName + "." + exchange();
    }
}
