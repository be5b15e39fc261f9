package io.camelsandai.transport.amqp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;

import io.camelsandai.codec.ContentType;
import io.camelsandai.codec.TaskMessage;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RabbitMqExtension;
import io.camelsandai.testsupport.TestDirs;

/**
 * A live capture: stock Celery 5.2 sends a task over RabbitMQ, our {@link AmqpPublisher} sends the same task (same
 * kwargs, serializer, queue kind), and both messages, read back with the Java client, are the same: body bytes, every
 * basic property, every application header with its AMQP field type and value. Only the task id, {@code origin} and
 * {@code reply_to} values differ (they are per message / per process). The typed dumps go to
 * {@code target/amqp-capture/} (what {@code docs/celery-amqp.md} shows).
 */
class CeleryAmqpParityTest {
    @RegisterExtension
    static final RabbitMqExtension rabbit = RabbitMqExtension.create();
    @RegisterExtension
    static final PythonCelery python = PythonCelery.create();

    /** Same as KWARGS in celery_amqp_capture.py, in the same (dict) order. */
    static Map<String, Object> kwargs() {
        Map<String, Object> artifact = new LinkedHashMap<>();
        artifact.put("uri", "s3://bucket/key.mp4");
        artifact.put("slot", "video");
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("n", 1);
        options.put("ratio", 0.5);
        options.put("name", "clip");
        options.put("flag", true);
        options.put("none", null);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("deadline", 1767225600.25);
        meta.put("cancel_key", "job-42");
        meta.put("priority", "normal");
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("input_artifacts", List.of(artifact));
        kwargs.put("options", options);
        kwargs.put("meta", meta);
        return kwargs;
    }

    static Map<String, JsonNode> celerySent = new LinkedHashMap<>();
    static Connection connection;
    static AmqpPublisher publisher;

    @BeforeAll
    static void captureCelery() throws Exception {
        String out = python.runScript("celery_amqp_capture.py", List.of("--broker", rabbit.url(), "--case", "msgpack",
                "--case", "json"), Map.of(), Duration.ofSeconds(60)).assertSuccess().stdout();
        for (JsonNode n : new ObjectMapper().readTree(out)) {
            celerySent.put(n.get("case").asText(), n);
        }
        connection = AmqpConnections.open(rabbit.amqpUrl(), AmqpConnectionSettings.DEFAULT, "parity-test");
        publisher = new AmqpPublisher(rabbit.amqpUrl(), AmqpConnectionSettings.DEFAULT, "parity-publisher",
                Duration.ofSeconds(5));
    }

    @AfterAll
    static void close() throws Exception {
        if (publisher != null) {
            publisher.close();
        }
        if (connection != null) {
            connection.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ContentType.class)
    void ourMessageIsCelerysMessage(ContentType serializer) throws Exception {
        String theCase = serializer.serializerName();
        String ourQueue = "ours." + theCase;
        TaskMessage ours = TaskMessage.builder().taskName("sandai.operator.process").kwargs(kwargs()).queue(ourQueue)
                .contentType(serializer).replyTo("0f1654c0-70d6-338c-a1a4-df6124707106").build();
        publisher.publish(new AmqpPublisher.Publish(ourQueue, CeleryAmqpMessages.properties(ours, Map.of()),
                ours.encodeBody())).get();

        try (Channel ch = connection.createChannel()) {
            GetResponse celery = ch.basicGet("capture." + theCase, true);
            GetResponse we = ch.basicGet(ourQueue, true);
            assertNotNull(celery, "Celery's message");
            assertNotNull(we, "our message");
            String celeryId = celerySent.get(theCase).get("id").asText();
            dump(theCase + "-celery.txt", celery);
            dump(theCase + "-ours.txt", we);

            assertEquals(celery.getEnvelope().getExchange(), we.getEnvelope().getExchange(), "exchange");
            assertEquals("capture." + theCase, celery.getEnvelope().getRoutingKey());
            assertEquals(ourQueue, we.getEnvelope().getRoutingKey());
            assertArrayEquals(celery.getBody(), we.getBody(), "body bytes");

            AMQP.BasicProperties c = celery.getProps();
            AMQP.BasicProperties o = we.getProps();
            assertEquals(c.getContentType(), o.getContentType());
            assertEquals(c.getContentEncoding(), o.getContentEncoding());
            assertEquals(c.getDeliveryMode(), o.getDeliveryMode());
            assertEquals(c.getPriority(), o.getPriority());
            assertEquals(celeryId, c.getCorrelationId());
            assertEquals(ours.id(), o.getCorrelationId());
            assertNotNull(c.getReplyTo());
            assertNotNull(o.getReplyTo());
            for (AMQP.BasicProperties p : List.of(c, o)) {
                assertNull(p.getExpiration());
                assertNull(p.getMessageId());
                assertNull(p.getTimestamp());
                assertNull(p.getType());
                assertNull(p.getUserId());
                assertNull(p.getAppId());
                assertNull(p.getClusterId());
            }

            Map<String, Object> ch1 = c.getHeaders();
            Map<String, Object> oh = o.getHeaders();
            assertEquals(new TreeMap<>(ch1).keySet(), new TreeMap<>(oh).keySet(), "header names");
            for (String name : ch1.keySet()) {
                Object cv = ch1.get(name);
                Object ov = oh.get(name);
                assertEquals(typeOf(cv), typeOf(ov), "AMQP type of header " + name);
                switch (name) {
                    case "id", "root_id" -> {
                        assertEquals(celeryId, String.valueOf(cv));
                        assertEquals(ours.id(), String.valueOf(ov));
                    }
                    case "origin" -> { } // gen<pid>@<host> of each sender
                    default -> assertEquals(String.valueOf(cv), String.valueOf(ov), "header " + name);
                }
            }
        }
    }

    /** The headers are written in Celery's order too (the Java client reads them into an unordered map; py-amqp not). */
    @org.junit.jupiter.api.Test
    void headersComeInCelerysOrder() throws Exception {
        python.runScript("celery_amqp_capture.py", List.of("--broker", rabbit.url(), "--case", "reply_to"), Map.of(),
                Duration.ofSeconds(60)).assertSuccess();
        TaskMessage ours = TaskMessage.builder().taskName("sandai.operator.process").kwargs(kwargs())
                .queue("ours.order").replyTo("caller-queue").build();
        publisher.publish(new AmqpPublisher.Publish("ours.order", CeleryAmqpMessages.properties(ours, Map.of()),
                ours.encodeBody())).get();
        AmqpUrl u = rabbit.amqpUrl();
        JsonNode orders = new ObjectMapper().readTree(python.runScript("amqp_header_order.py", List.of(u.host(),
                String.valueOf(u.port()), u.virtualHost(), "capture.reply_to", "ours.order"), Map.of(),
                Duration.ofSeconds(60)).assertSuccess().stdout());
        assertEquals(16, orders.get(0).size(), orders.toString());
        assertEquals(orders.get(0), orders.get(1), "header order, Celery's then ours");
    }

    /** The AMQP field-table type the Java client decoded a value from. */
    static String typeOf(Object v) {
        if (v == null) {
            return "V void";
        } else if (v instanceof LongString) {
            return "S long string";
        } else if (v instanceof Integer) {
            return "I int32";
        } else if (v instanceof Long) {
            return "l int64";
        } else if (v instanceof Boolean) {
            return "t boolean";
        } else if (v instanceof Double) {
            return "d double";
        } else if (v instanceof byte[]) {
            return "x byte array";
        } else if (v instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(i -> items.add(typeOf(i)));
            return "A array " + items;
        } else if (v instanceof Map) {
            return "F table";
        }
        return v.getClass().getSimpleName();
    }

    static void dump(String file, GetResponse r) throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append("exchange='").append(r.getEnvelope().getExchange()).append("' routing_key='")
                .append(r.getEnvelope().getRoutingKey()).append("'\n");
        AMQP.BasicProperties p = r.getProps();
        sb.append("content_type=").append(p.getContentType()).append(" content_encoding=")
                .append(p.getContentEncoding()).append(" delivery_mode=").append(p.getDeliveryMode())
                .append(" priority=").append(p.getPriority()).append(" correlation_id=").append(p.getCorrelationId())
                .append(" reply_to=").append(p.getReplyTo()).append(" expiration=").append(p.getExpiration())
                .append('\n');
        p.getHeaders().forEach((k, v) -> sb.append("  header ").append(k).append(" [").append(typeOf(v)).append("] = ")
                .append(v).append('\n'));
        sb.append("body hex: ").append(HexFormat.of().formatHex(r.getBody())).append('\n');
        Path dir = TestDirs.dir("amqp-capture");
        Files.writeString(dir.resolve(file), sb.toString(), StandardCharsets.UTF_8);
    }
}
