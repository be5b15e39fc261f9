package io.camelsandai.transport.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RabbitMqExtension;
import io.camelsandai.testsupport.SendTask;

/**
 * Our declarations and Celery 5.2's are the same: whichever side declares a task queue first, the other's declaration
 * is accepted (RabbitMQ answers PRECONDITION_FAILED to any difference in type, durability or arguments).
 */
class CeleryAmqpTopologyTest {
    @RegisterExtension
    static final RabbitMqExtension rabbit = RabbitMqExtension.create();
    @RegisterExtension
    static final PythonCelery python = PythonCelery.create();

    @Test
    void celeryAndWeDeclareTheSameQueueInEitherOrder() throws Exception {
        try (Connection c = AmqpConnections.open(rabbit.amqpUrl(), AmqpConnectionSettings.DEFAULT, "topology-test");
             Channel ch = c.createChannel()) {
            // we first, then Celery
            CeleryAmqpTopology.declareTaskQueue(ch, "high.topo.v1");
            python.sendTask(SendTask.to(rabbit.url(), "high.topo.v1").backend("rpc://").noWait());
            // Celery first, then we (on a fresh channel: a failed declaration would have closed it)
            python.sendTask(SendTask.to(rabbit.url(), "low.topo.v1").backend("rpc://").noWait());
            try (Channel ch2 = c.createChannel()) {
                CeleryAmqpTopology.declareTaskQueue(ch2, "low.topo.v1");
                assertEquals(1, ch2.messageCount("low.topo.v1"));
            }
            assertEquals(1, ch.messageCount("high.topo.v1"));
        }
        List<String> queues = rabbit.listQueues("name", "durable", "auto_delete", "exclusive", "arguments");
        assertTrue(queues.contains("high.topo.v1\ttrue\tfalse\tfalse\t[]"), queues.toString());
        assertTrue(queues.contains("low.topo.v1\ttrue\tfalse\tfalse\t[]"), queues.toString());
    }
}
