package io.camelsandai.transport.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.camelsandai.testsupport.PythonCelery;

/** AmqpUrl reads every URL as kombu does (checked against kombu itself), and never shows a password. */
class AmqpUrlTest {
    @RegisterExtension
    static final PythonCelery python = PythonCelery.create();

    static final List<String> URLS = List.of(
            "amqp://u:p@h:5672//", "amqp://h/", "amqp://h", "amqp://h/foo", "amqps://H/%2Ffoo",
            "amqp://u%40x:p%3Ab@h:1234/v%20h", "amqp://", "amqp://:@h/x?heartbeat=3", "amqp://user@h/",
            "amqp://[::1]:99/a/b", "AMQP://h/", "amqps://u:p@rabbit.example:5671/prod", "amqp://u:p%2B+q@h/%2F");

    @Test
    void parsesEveryUrlAsKombuDoes() throws Exception {
        String json = new ObjectMapper().writeValueAsString(URLS);
        JsonNode kombu = new ObjectMapper().readTree(
                python.runScript("amqp_url_oracle.py", Map.of(), json).assertSuccess().stdout());
        for (int i = 0; i < URLS.size(); i++) {
            AmqpUrl u = AmqpUrl.parse(URLS.get(i));
            JsonNode k = kombu.get(i);
            String what = URLS.get(i);
            assertEquals(k.get("host").asText(), u.host(), what);
            assertEquals(k.get("port").asInt(), u.port(), what);
            assertEquals(k.get("vhost").asText(), u.virtualHost(), what);
            assertEquals(k.get("user").asText(), u.user(), what);
            assertEquals(k.get("password").asText(), u.password(), what);
            assertEquals(k.get("tls").asBoolean(), u.isTls(), what);
        }
    }

    @Test
    void theDocumentedForms() {
        assertEquals("/", AmqpUrl.parse("amqp://u:p@h:5672//").virtualHost());
        assertEquals("/", AmqpUrl.parse("amqp://h/").virtualHost());
        assertEquals("foo", AmqpUrl.parse("amqp://h/foo").virtualHost());
        assertEquals(5671, AmqpUrl.parse("amqps://h").port());
        assertEquals(5672, AmqpUrl.parse("amqp://h").port());
    }

    @Test
    void passwordsNeverShow() {
        AmqpUrl u = AmqpUrl.parse("amqp://alice:s3cr%40t@h/v");
        assertEquals("s3cr@t", u.password());
        assertFalse(u.toString().contains("s3cr"), u.toString());
        assertEquals("amqp://alice:***@h:5672/v", u.toString());
        assertEquals("amqp://alice:***@h/v", AmqpUrl.sanitize("amqp://alice:s3cret@h/v"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AmqpUrl.parse("amqp://alice:s3cret@h:notaport/v"));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        // toString parses back to the same place (password aside)
        AmqpUrl odd = AmqpUrl.parse("amqp://u:p@h/%2Fa%25b");
        AmqpUrl back = AmqpUrl.parse(odd.toString());
        assertEquals(odd.virtualHost(), back.virtualHost());
    }

    @Test
    void schemeCheck() {
        assertTrue(AmqpUrl.isAmqp("amqp://h"));
        assertTrue(AmqpUrl.isAmqp(" AMQPS://h "));
        assertFalse(AmqpUrl.isAmqp("redis://h"));
        assertFalse(AmqpUrl.isAmqp("rpc://"));
        assertFalse(AmqpUrl.isAmqp(null));
        assertThrows(IllegalArgumentException.class, () -> AmqpUrl.parse("redis://h"));
    }
}
