package io.camelsandai.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;

import io.camelsandai.testsupport.RabbitMqExtension;
import io.camelsandai.transport.amqp.AmqpConnectionSettings;
import io.camelsandai.transport.amqp.AmqpConnections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The coalesced acks on a real RabbitMQ: what the broker still holds after the consuming channel closes is exactly what
 * was not acked, so a {@code multiple=true} ack that covered a delivery still open would show as a lost message.
 */
class AmqpAcksTest {
    @RegisterExtension
    static final RabbitMqExtension rabbit = RabbitMqExtension.create();

    private static final String QUEUE = "sandai.acks-test";

    private Connection amqp;
    private Channel consuming;
    private final Map<String, Long> tags = new ConcurrentHashMap<>();
    private final List<String> deliveredInOrder = new CopyOnWriteArrayList<>();
    private int ackedCount;

    @BeforeEach
    void setUp() throws Exception {
        amqp = AmqpConnections.open(rabbit.amqpUrl(), AmqpConnectionSettings.DEFAULT, "amqp-acks-test");
        try (Channel admin = amqp.createChannel()) {
            admin.queueDeclare(QUEUE, true, false, false, Map.of());
            admin.queuePurge(QUEUE);
            for (int i = 1; i <= 6; i++) {
                admin.basicPublish("", QUEUE, new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                        ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        consuming = amqp.createChannel();
    }

    @AfterEach
    void tearDown() throws Exception {
        amqp.close();
    }

    private AmqpAcks consumeAll() throws Exception {
        AmqpAcks acks = new AmqpAcks(() -> consuming, () -> 0L);
        consuming.basicQos(10, true);
        consuming.basicConsume(QUEUE, false, new DefaultConsumer(consuming) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                acks.opened(envelope.getDeliveryTag());
                String m = new String(body, StandardCharsets.UTF_8);
                tags.put(m, envelope.getDeliveryTag());
                deliveredInOrder.add(m);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveredInOrder.size() == 6);
        return acks;
    }

    /** What is back in the queue once the consuming channel is gone. */
    private Set<String> leftInQueue() throws Exception {
        consuming.close();
        Set<String> left = new TreeSet<>();
        try (Channel admin = amqp.createChannel()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.messageCount(QUEUE) == 6 - ackedCount);
            GetResponse r;
            while ((r = admin.basicGet(QUEUE, true)) != null) {
                left.add(new String(r.getBody(), StandardCharsets.UTF_8));
            }
        }
        return left;
    }

    private List<CompletableFuture<Void>> ackHeld(AmqpAcks acks, String... messages) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        AmqpAcks.hold();
        try {
            for (String m : messages) {
                done.add(acks.ack(tags.get(m), 0L));
            }
            assertTrue(done.stream().noneMatch(CompletableFuture::isDone), "held acks are not sent before the batch ends");
        } finally {
            acks.release();
        }
        ackedCount += messages.length;
        return done;
    }

    @Test
    void aBatchWithAGapAcksOnlyItsOwnDeliveries() throws Exception {
        AmqpAcks acks = consumeAll();
        // m1, m2, m4, m5 done; m3 still running: a multiple ack up to m5 would lose m3
        List<CompletableFuture<Void>> done = ackHeld(acks, "m5", "m2", "m1", "m4");
        assertTrue(done.stream().allMatch(f -> f.isDone() && !f.isCompletedExceptionally()), done.toString());

        assertEquals(Set.of("m3", "m6"), leftInQueue());
    }

    @Test
    void aRequeuedDeliveryInsideARunIsNotAcked() throws Exception {
        AmqpAcks acks = consumeAll();
        acks.nack(tags.get("m2")); // given back (requeued, redelivered here) while m1 and m3 finish
        ackHeld(acks, "m1", "m3");

        assertEquals(Set.of("m2", "m4", "m5", "m6"), leftInQueue());
    }

    @Test
    void acksOutsideABatchAreSentAtOnce() throws Exception {
        AmqpAcks acks = consumeAll();
        CompletableFuture<Void> done = acks.ack(tags.get("m2"), 0L);
        assertTrue(done.isDone() && !done.isCompletedExceptionally());
        ackedCount = 1;

        assertEquals(Set.of("m1", "m3", "m4", "m5", "m6"), leftInQueue());
    }

    @Test
    void acksOfAnEarlierConnectionAreSkipped() throws Exception {
        AmqpAcks acks = consumeAll();
        CompletableFuture<Void> done = acks.ack(tags.get("m1"), 7L); // generation 7 is not the current one (0)
        assertTrue(done.isDone() && !done.isCompletedExceptionally());

        assertEquals(6, leftInQueue().size());
    }
}
