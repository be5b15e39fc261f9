package io.camelsandai.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import io.camelsandai.codec.ContentDisallowedException;
import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.MalformedMessageException;
import io.camelsandai.codec.TaskEnvelope;
import io.camelsandai.codec.TaskMessage;
import io.camelsandai.testsupport.RabbitMqExtension;
import io.camelsandai.transport.amqp.AmqpConnectionSettings;
import io.camelsandai.transport.amqp.AmqpConnections;
import io.camelsandai.transport.amqp.CeleryAmqpMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The direct decoder of AMQP deliveries ({@link AmqpEnvelopes}): what it hands the task logic must equal what the
 * Redis path reads from the kombu envelope of the same Celery message (headers and their values, task id, name,
 * retries, priority, body), for messages that went through a real RabbitMQ and came back as the Java client
 * delivers them; every AMQP field type maps to the value JSON reading gives; the body stays unread until the content
 * type is accepted.
 */
class AmqpEnvelopesTest {
    @RegisterExtension
    static final RabbitMqExtension rabbit = RabbitMqExtension.create();

    private Connection amqp;
    private Channel channel;
    private String queue;

    @BeforeEach
    void setUp() throws Exception {
        amqp = AmqpConnections.open(rabbit.amqpUrl(), AmqpConnectionSettings.DEFAULT, "amqp-envelopes-test");
        channel = amqp.createChannel();
        queue = channel.queueDeclare("", false, true, true, Map.of()).getQueue();
    }

    @AfterEach
    void tearDown() throws Exception {
        amqp.close();
    }

    private GetResponse roundTrip(AMQP.BasicProperties props, byte[] body) throws Exception {
        channel.basicPublish("", queue, props, body);
        for (int i = 0; i < 500; i++) { // basic.get right after a publish on the same channel may see nothing yet
            GetResponse got = channel.basicGet(queue, false);
            if (got != null) {
                return got;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("message did not come back");
    }

    private static TaskEnvelope read(GetResponse got) {
        return AmqpEnvelopes.read(got.getEnvelope(), got.getProps(), got.getBody());
    }

    @ParameterizedTest
    @EnumSource(ContentType.class)
    void celeryMessageReadsAsItsRedisEnvelopeDoes(ContentType type) throws Exception {
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("input_artifacts", List.of(Map.of("slot", "in", "uri", "s3://b/k")));
        kwargs.put("options", new LinkedHashMap<>(Map.of("n", 3, "ratio", 0.5, "text", "héllo ✓")));
        kwargs.put("meta", Map.of("deadline", 1.7e9));
        TaskMessage message = TaskMessage.builder().taskName("sandai.operator.process").queue(queue)
                .args(List.of(1, "two")).kwargs(kwargs).contentType(type).priority(3).retries(2)
                .replyTo(UUID.randomUUID().toString()).build();
        Map<String, String> trace = Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        GetResponse got = roundTrip(CeleryAmqpMessages.properties(message, trace), message.encodeBody());
        TaskEnvelope direct = read(got);
        TaskEnvelope redis = TaskEnvelope.parse(message.toEnvelope(trace));

        assertEquals(redis.headers(), direct.headers());
        assertEquals(message.id(), direct.taskId());
        assertEquals(redis.taskName(), direct.taskName());
        assertEquals(2, direct.retries());
        assertEquals(3, direct.priority());
        assertNull(direct.etaWithOffset());
        assertNull(direct.expires());
        assertEquals(type.mimeType(), direct.contentTypeName());
        assertEquals(queue, direct.routingKey());
        for (String p : List.of("correlation_id", "reply_to", "delivery_mode", "priority")) {
            assertEquals(redis.properties().get(p), direct.properties().get(p), p);
        }
        assertEquals(redis.decodeBody(), direct.decodeBody());
        assertEquals(false, direct.properties().get("redelivered"));
        assertNull(direct.raw(), "nothing was built to be parsed");
    }

    @Test
    void everyFieldTypeReadsAsJsonWouldGiveIt() throws Exception {
        Date when = new Date(1_700_000_000_123L);
        Map<String, Object> nested = new HashMap<>();
        nested.put("k", "v");
        nested.put("n", 7);
        Map<String, Object> headers = new HashMap<>();
        headers.put("id", "t-1");
        headers.put("task", "sandai.operator.process");
        headers.put("retries", 4); // py-amqp: I (signed 32-bit)
        headers.put("big", 5_000_000_000L);
        headers.put("byte", (byte) 7);
        headers.put("flag", true);
        headers.put("none", null);
        headers.put("float", 1.5f);
        headers.put("double", 2.25);
        headers.put("decimal", new BigDecimal("3.5"));
        headers.put("when", when);
        headers.put("bytes", "raw".getBytes(StandardCharsets.UTF_8));
        headers.put("timelimit", Arrays.asList(null, 30));
        headers.put("nested", nested);
        headers.put("eta", "2026-12-02T05:43:00.672988+00:00");
        headers.put("expires", "2026-12-02T06:43:00+00:00");
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                .contentEncoding("utf-8").headers(headers).build();

        TaskEnvelope e = read(roundTrip(props, "[[], {}, {}]".getBytes(StandardCharsets.UTF_8)));

        Map<String, Object> h = e.headers();
        assertEquals("t-1", h.get("id"));
        assertEquals(4L, h.get("retries"));
        assertEquals(4, e.retries());
        assertEquals(5_000_000_000L, h.get("big"));
        assertEquals(7L, h.get("byte"));
        assertEquals(true, h.get("flag"));
        assertTrue(h.containsKey("none"));
        assertNull(h.get("none"));
        assertEquals(1.5, h.get("float"));
        assertEquals(2.25, h.get("double"));
        assertEquals(3.5, h.get("decimal"));
        assertEquals(1_700_000_000.0, h.get("when"), "AMQP timestamps have whole seconds");
        assertEquals("raw", h.get("bytes"));
        assertEquals(Arrays.asList(null, 30L), h.get("timelimit"));
        assertEquals(Map.of("k", "v", "n", 7L), h.get("nested"));
        assertEquals(Instant.parse("2026-12-02T05:43:00.672988Z"), e.eta());
        assertEquals(Instant.parse("2026-12-02T06:43:00Z"), e.expires());
        assertEquals(0, e.priority(), "no priority property: 0, as kombu");
        assertNull(e.properties().get("reply_to"));
        assertEquals(new TaskEnvelope.TaskBody(List.of(), Map.of(), Map.of()), e.decodeBody());
    }

    @Test
    void theRedeliveredFlagIsReported() throws Exception {
        GetResponse first = roundTrip(new AMQP.BasicProperties.Builder().contentType("application/json").build(),
                "[[], {}, {}]".getBytes(StandardCharsets.UTF_8));
        assertEquals(false, read(first).properties().get("redelivered"));
        channel.basicNack(first.getEnvelope().getDeliveryTag(), false, true);
        GetResponse again = null;
        for (int i = 0; i < 500 && again == null; i++) {
            again = channel.basicGet(queue, true);
        }
        assertTrue(again != null && again.getEnvelope().isRedeliver());
        assertEquals(true, read(again).properties().get("redelivered"));
    }

    @Test
    void aRefusedContentTypeLeavesTheBodyUnread() {
        byte[] pickle = {(byte) 0x80, 4, (byte) 0x95, 0, 0, 0, 0};
        TaskEnvelope e = AmqpEnvelopes.read(new Envelope(1, false, "", "q"),
                props("application/x-python-serialize", Map.of("id", "p-1")), pickle);
        assertEquals("p-1", e.taskId());
        ContentDisallowedException refused = assertThrows(ContentDisallowedException.class, e::decodeBody);
        assertEquals("application/x-python-serialize", refused.contentType());
        assertThrows(ContentDisallowedException.class, () -> AmqpEnvelopes.read(new Envelope(1, false, "", "q"),
                props(null, Map.of("id", "p-2")), "[[], {}, {}]".getBytes(StandardCharsets.UTF_8)).decodeBody(),
                "no content type at all");
    }

    @Test
    void malformedBodiesAndMissingIdsAreToldApart() {
        Envelope envelope = new Envelope(1, false, "", "q");
        assertThrows(MalformedMessageException.class, () -> AmqpEnvelopes.read(envelope,
                props("application/json", Map.of("id", "j")), "{not json".getBytes(StandardCharsets.UTF_8))
                .decodeBody());
        assertThrows(MalformedMessageException.class, () -> AmqpEnvelopes.read(envelope,
                props("application/x-msgpack", Map.of("id", "m")), new byte[]{(byte) 0xc1}).decodeBody());
        assertThrows(MalformedMessageException.class, () -> AmqpEnvelopes.read(envelope,
                props("application/json", Map.of("id", "a")), "[1, 2]".getBytes(StandardCharsets.UTF_8))
                .decodeBody(), "not [args, kwargs, embed]");
        assertThrows(MalformedMessageException.class, () -> AmqpEnvelopes.read(envelope,
                props("application/json", Map.of("id", "e", "eta", 17)), new byte[0]).eta(), "eta not a text");

        AMQP.BasicProperties v1 = new AMQP.BasicProperties.Builder().contentType("application/json")
                .correlationId("from-correlation").build();
        assertEquals("from-correlation", AmqpEnvelopes.read(envelope, v1, new byte[0]).taskId(),
                "protocol v1: the id is the correlation id only");
        TaskEnvelope garbage = AmqpEnvelopes.read(envelope, new AMQP.BasicProperties.Builder()
                .contentType("text/plain").build(), "garbage".getBytes(StandardCharsets.UTF_8));
        assertNull(garbage.taskId());
        assertTrue(garbage.headers().isEmpty());
    }

    private static AMQP.BasicProperties props(String contentType, Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder().contentType(contentType).headers(headers).build();
    }
}
