package io.camelsandai.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.codec.KombuKeys;
import io.camelsandai.codec.TaskMessage;
import io.camelsandai.transport.Broker;
import io.camelsandai.transport.Durability;
import io.camelsandai.transport.Transports;

/** Task messages as kombu envelopes LPUSHed on the shared Redis {@link Broker}. */
final class RedisTaskSender implements TaskSender {
    private final Broker broker;
    private final Durability durability;

    RedisTaskSender(Broker broker, Durability durability) {
        this.broker = broker;
        this.durability = durability;
    }

    Broker broker() {
        return broker;
    }

    @Override
    public CompletableFuture<Void> send(TaskMessage message, Map<String, String> extraHeaders) {
        return broker.pushAsync(new Broker.Push(message.queue(), message.listKey(), message.toEnvelope(extraHeaders)),
                durability);
    }

    @Override
    public boolean ping() {
        return broker.ping();
    }

    /** Each queue's length with its kombu priority sub-lists, in one round trip. */
    @Override
    public Map<String, Long> queueDepths(List<String> queues) {
        List<String> keys = new ArrayList<>();
        queues.forEach(q -> keys.addAll(KombuKeys.pollOrder(q)));
        List<Long> lengths = broker.lengths(keys);
        Map<String, Long> depths = new LinkedHashMap<>();
        int i = 0;
        for (String q : queues) {
            long sum = 0;
            for (int n = KombuKeys.pollOrder(q).size(); n > 0; n--) {
                sum += lengths.get(i++);
            }
            depths.put(q, sum);
        }
        return depths;
    }

    @Override
    public void close() {
        Transports.releaseBroker(broker);
    }
}
