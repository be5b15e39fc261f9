package io.camelsandai.operator.control;

import java.util.List;
import java.util.Objects;

/**
 * What the remote-control node of one worker needs to know, whatever the broker.
 *
 * @param nodeName     the Celery node name ({@code name@host}) the worker answers as
 * @param namespace    Celery's {@code control_exchange} ({@code celery}): exchanges {@code <ns>.pidbox} and
 *                     {@code reply.<ns>.pidbox}
 * @param broker       where the worker is connected, for {@code inspect stats}
 * @param queues       the queues the worker consumes, for {@code active_queues}
 * @param taskNames    the task names it serves, for {@code registered}
 */
public record ControlSettings(String nodeName, String namespace, BrokerInfo broker, List<String> queues,
        List<String> taskNames, int concurrency, int prefetch) {

    public static final String DEFAULT_NAMESPACE = "celery";

    public ControlSettings {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(broker, "broker");
        queues = List.copyOf(queues);
        taskNames = List.copyOf(taskNames);
    }

    /** kombu's fanout exchange of broadcasts: {@code celery.pidbox}. */
    String exchange() {
        return namespace + ".pidbox";
    }

    /** This node's queue bound to the fanout exchange: {@code <node>.celery.pidbox}. */
    String nodeQueue() {
        return nodeName + "." + exchange();
    }
}
