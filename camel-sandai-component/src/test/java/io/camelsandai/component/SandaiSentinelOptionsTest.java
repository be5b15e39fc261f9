package io.camelsandai.component;

import java.util.Map;

import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import io.camelsandai.client.OperatorSettings;
import io.camelsandai.transport.RedisUrl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Sentinel options on each surface: endpoint URI, Java builder and environment variables, with kombu's rules
 * (master name required, backend master name defaulting to the broker's). Creating an endpoint never connects.
 */
class SandaiSentinelOptionsTest extends CamelTestSupport {
    /** The db is on every part, as Celery's docs write it; only the first part's counts (kombu and Celery). */
    static final String URL = "sentinel://:m%2Bpw@127.0.0.1:26379/2;sentinel://127.0.0.1:26380/2";

    @Test
    void endpointUriOptionsReachTheConnectionSettings() {
        SandaiEndpoint e = context.getEndpoint("sandai:op:v1?brokerUrl=RAW(" + URL + ")&sentinelMasterName=mymaster"
                                               + "&resultBackendSentinelMasterName=results&sentinelPassword=RAW(s+pw)"
                                               + "&sentinelTls=true", SandaiEndpoint.class);
        OperatorSettings s = e.getConfiguration().toOperatorSettings();
        RedisUrl broker = s.brokerUrl();
        assertTrue(broker.isSentinel());
        assertEquals("mymaster", broker.masterName());
        assertEquals("m+pw", broker.password());
        assertEquals(2, broker.database());
        assertEquals("s+pw", broker.sentinelPassword());
        assertTrue(broker.isSentinelTls());
        assertEquals("results", s.resultBackendUrl().masterName(), "Celery's result_backend_transport_options");
        assertEquals(broker.sentinels(), s.resultBackendUrl().sentinels());
        for (String shown : new String[] { e.getEndpointUri(), e.toString(), s.toString() }) {
            assertFalse(shown.contains("m+pw") || shown.contains("m%2Bpw") || shown.contains("s+pw"), shown);
        }
    }

    @Test
    void environmentVariablesGiveTheSentinelSettings() {
        Map<String, String> env = Map.of("SANDAI_OPERATOR_CELERY_BROKER_URL", URL,
                "SANDAI_OPERATOR_BROKER_MASTER_NAME", "mymaster", "SANDAI_OPERATOR_SENTINEL_PASSWORD", "spw",
                "SANDAI_OPERATOR_SENTINEL_TLS", "true");
        OperatorSettings s = OperatorSettings.builder().environment(env::get).build();
        assertEquals("mymaster", s.brokerUrl().masterName());
        assertEquals("mymaster", s.resultBackendUrl().masterName(), "the backend defaults to the broker's master");
        assertEquals("spw", s.brokerUrl().sentinelPassword());
        assertTrue(s.resultBackendUrl().isSentinelTls());
        Map<String, String> split = Map.of("SANDAI_OPERATOR_CELERY_BROKER_URL", URL,
                "SANDAI_OPERATOR_BROKER_MASTER_NAME", "tasks", "SANDAI_OPERATOR_BACKEND_MASTER_NAME", "results");
        OperatorSettings t = OperatorSettings.builder().environment(split::get).build();
        assertEquals("tasks", t.brokerUrl().masterName());
        assertEquals("results", t.resultBackendUrl().masterName());
        assertNull(t.brokerUrl().sentinelPassword());
    }

    @Test
    void aSentinelUrlWithoutMasterNameIsRefusedAsKombuRefusesIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OperatorSettings.builder().brokerUrl(URL).sentinelMasterName(" ").environment(k -> null).build());
        assertTrue(e.getMessage().contains("sentinelMasterName"), e.getMessage());
        assertFalse(e.getMessage().contains("m+pw") || e.getMessage().contains("m%2Bpw"), e.getMessage());
        // a plain URL ignores the sentinel settings
        OperatorSettings plain = OperatorSettings.builder().brokerUrl("redis://h:1/0").sentinelMasterName("x")
                .environment(k -> null).build();
        assertFalse(plain.brokerUrl().isSentinel());
    }
}
