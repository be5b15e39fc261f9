package io.camelsandai.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.codec.TaskMessage;
import io.camelsandai.transport.amqp.AmqpPublisher;
import io.camelsandai.transport.amqp.AmqpPublishers;
import io.camelsandai.transport.amqp.CeleryAmqpMessages;

/** Task messages published to RabbitMQ as Celery 5.2 publishes them, each confirmed by the broker. */
final class AmqpTaskSender implements TaskSender {
    /** How long a send waits for a lost connection to come back before trying again (3 tries in all). */
    static final Duration RECOVERY_WAIT = Duration.ofSeconds(30);

    private final AmqpPublishers.Key key;
    private final AmqpPublisher publisher;

    AmqpTaskSender(AmqpPublishers.Key key, Duration connectTimeout) {
        this.key = key;
        this.publisher = AmqpPublishers.acquire(key, connectTimeout, RECOVERY_WAIT);
    }

    AmqpPublisher publisher() {
        return publisher;
    }

    @Override
    public CompletableFuture<Void> send(TaskMessage message, Map<String, String> extraHeaders) {
        return publisher.publish(new AmqpPublisher.Publish(message.queue(),
                CeleryAmqpMessages.properties(message, extraHeaders), message.encodeBody()));
    }

    @Override
    public boolean ping() {
        return publisher.isConnected();
    }

    @Override
    public Map<String, Long> queueDepths(List<String> queues) {
        Map<String, Long> depths = new LinkedHashMap<>();
        for (String q : queues) {
            try {
                depths.put(q, publisher.messageCount(q));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return depths;
    }

    @Override
    public void close() {
        AmqpPublishers.release(key, publisher);
    }
}
