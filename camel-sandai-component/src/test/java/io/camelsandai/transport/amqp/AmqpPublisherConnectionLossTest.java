package io.camelsandai.transport.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;

import io.camelsandai.codec.TaskMessage;
import io.camelsandai.model.BrokerUnavailableException;
import io.camelsandai.model.SandaiException;
import io.camelsandai.testsupport.RabbitMqExtension;

/**
 * The broker closes every connection (what {@code rabbitmqctl close_all_connections} does to a live client) while
 * tasks are being published: every send ends (none hangs), each either confirmed or failed with a
 * {@link BrokerUnavailableException}; every confirmed task is in the queue afterwards (nothing silently lost), and
 * sends after the cut are confirmed on the recovered connection.
 */
class AmqpPublisherConnectionLossTest {
    @RegisterExtension
    static final RabbitMqExtension rabbit = RabbitMqExtension.create();

    static final String QUEUE = "normal.cut.v1";

    @Test
    void sendsAcrossAForcedDisconnectAreConfirmedOrFailClearly() throws Exception {
        Map<String, CompletableFuture<Void>> sends = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicBoolean cut = new AtomicBoolean();
        try (AmqpPublisher publisher = new AmqpPublisher(rabbit.amqpUrl(), AmqpConnectionSettings.DEFAULT,
                "cut-test", Duration.ofSeconds(20))) {
            Thread sender = new Thread(() -> {
                int afterCut = 0;
                while (afterCut < 300) {
                    TaskMessage m = TaskMessage.builder().taskName("sandai.operator.process").queue(QUEUE)
                            .kwargs(Map.of("i", sends.size())).build();
                    sends.put(m.id(), publisher.publish(new AmqpPublisher.Publish(QUEUE,
                            CeleryAmqpMessages.properties(m, Map.of()), m.encodeBody())));
                    if (cut.get()) {
                        afterCut++;
                    }
                }
            }, "cut-test-sender");
            sender.start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sends.size() > 200);
            rabbit.closeAllConnections("test: forced disconnect");
            cut.set(true);
            sender.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!sender.isAlive(), "sender finished");
            // the client notices the reset a moment after rabbitmqctl returns, then recovers
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> publisher.recoveryCount() >= 1 && publisher.isConnected());
            assertEquals(1, publisher.recoveryCount(), "the connection was cut once and recovered");
            List<CompletableFuture<Void>> afterRecovery = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                TaskMessage m = TaskMessage.builder().taskName("sandai.operator.process").queue(QUEUE)
                        .kwargs(Map.of("after", i)).build();
                CompletableFuture<Void> f = publisher.publish(new AmqpPublisher.Publish(QUEUE,
                        CeleryAmqpMessages.properties(m, Map.of()), m.encodeBody()));
                sends.put(m.id(), f);
                afterRecovery.add(f);
            }
            for (CompletableFuture<Void> f : afterRecovery) {
                f.get(60, TimeUnit.SECONDS); // throws if any of them failed
            }

            Set<String> confirmed = new HashSet<>();
            List<Throwable> failures = new ArrayList<>();
            for (Map.Entry<String, CompletableFuture<Void>> e : sends.entrySet()) {
                try {
                    e.getValue().get(90, TimeUnit.SECONDS); // never hangs: bounded attempts and waits
                    confirmed.add(e.getKey());
                } catch (ExecutionException failed) {
                    failures.add(failed.getCause());
                }
            }
            org.slf4j.LoggerFactory.getLogger(getClass()).info("{} sends across the cut: {} confirmed, {} failed",
                    sends.size(), confirmed.size(), failures.size());
            for (Throwable f : failures) {
                assertInstanceOf(SandaiException.class, f);
                assertTrue(f instanceof BrokerUnavailableException, "clear broker failure: " + f);
            }
            assertTrue(confirmed.size() >= 100, "confirmed " + confirmed.size() + " of " + sends.size()
                                                + ", failures " + failures);

            Set<String> inQueue = new HashSet<>();
            try (Connection c = AmqpConnections.open(rabbit.amqpUrl(), AmqpConnectionSettings.DEFAULT, "cut-reader");
                 Channel ch = c.createChannel()) {
                GetResponse r;
                while ((r = ch.basicGet(QUEUE, true)) != null) {
                    inQueue.add(r.getProps().getCorrelationId());
                }
            }
            Set<String> lost = new HashSet<>(confirmed);
            lost.removeAll(inQueue);
            assertEquals(Set.of(), lost, "confirmed but not in the queue");
        }
    }
}
