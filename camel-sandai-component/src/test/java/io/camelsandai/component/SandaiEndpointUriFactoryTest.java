package io.camelsandai.component;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.spi.EndpointUriFactory;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated {@code SandaiEndpointUriFactory} is found by scheme and builds URIs the component parses back. */
class SandaiEndpointUriFactoryTest extends CamelTestSupport {

    private EndpointUriFactory factory() {
        EndpointUriFactory factory = context.getCamelContextExtension().getEndpointUriFactory("sandai");
        assertNotNull(factory, "generated URI factory is registered under META-INF/services");
        return factory;
    }

    @Test
    void buildsTheSyntaxFromPathAndQueryOptions() throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("operatorName", "video-clipper");
        properties.put("operatorVersion", "v1");
        properties.put("priority", "high");
        properties.put("timeout", "30s");
        String uri = factory().buildUri("sandai", properties, false);
        assertTrue(uri.startsWith("sandai:video-clipper:v1?"), uri);
        assertTrue(uri.contains("priority=high") && uri.contains("timeout=30s"), uri);

        SandaiEndpoint endpoint = context.getEndpoint(uri, SandaiEndpoint.class);
        assertEquals("video-clipper", endpoint.getOperatorName());
        assertEquals("high", endpoint.getConfiguration().getPriority());
    }

    @Test
    void knowsEveryOptionAndWhichAreSecret() {
        EndpointUriFactory factory = factory();
        assertTrue(factory.isEnabled("sandai"));
        assertFalse(factory.isLenientProperties());
        assertTrue(factory.propertyNames().containsAll(java.util.List.of("operatorName", "operatorVersion", "brokerUrl",
                "resultBackendUrl", "taskSerializer", "resultSerializer", "operation", "priority", "timeout",
                "cancelKey", "persistentOutput", "concurrency", "prefetch", "acksLate", "visibilityTimeout",
                "shutdownTimeout", "deadLetterQueue", "maxMessageBytes", "trackStarted", "optionsSchema",
                "resultsSchema", "trustStorePassword", "keyStorePassword", "stageArtifacts", "outputUri", "uploadInputs",
                "downloadOutputs", "s3Endpoint", "sentinelMasterName", "resultBackendSentinelMasterName", "sentinelPassword",
                "sentinelTls", "durableReplicas", "durableTimeout")), String.valueOf(factory.propertyNames()));
        assertEquals(java.util.Set.of("trustStorePassword", "keyStorePassword", "s3AccessKey", "s3SecretKey",
                "sentinelPassword"),
                factory.secretPropertyNames());
    }
}
