package io.camelsandai.component;

import java.time.Duration;

import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import io.camelsandai.client.OperatorSettings;
import io.camelsandai.codec.ContentType;
import io.camelsandai.model.InvalidPriorityException;
import io.camelsandai.model.Priority;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** URI parsing, option binding and validation; creating an endpoint never connects, so no Redis is needed. */
class SandaiEndpointTest extends CamelTestSupport {

    private SandaiEndpoint endpoint(String uri) {
        return context.getEndpoint(uri, SandaiEndpoint.class);
    }

    @Test
    void pathAndOptionsAreBound() {
        SandaiEndpoint e = endpoint("sandai:video-clipper:v1?priority=high&timeout=30s&cancelKey=job-1"
                                    + "&persistentOutput=true&operation=batch&taskSerializer=json&concurrency=4"
                                    + "&visibilityTimeout=5s&inputSlots=video,audio&brokerPoolLimit=3"
                                    + "&resultExpires=2h&cancelTtl=PT10M&poolAcquireTimeout=500ms");
        assertEquals("video-clipper", e.getOperatorName());
        assertEquals("v1", e.getOperatorVersion());
        SandaiConfiguration c = e.getConfiguration();
        assertEquals("high", c.getPriority());
        assertEquals("30s", c.getTimeout());
        assertEquals(Duration.ofSeconds(30), c.timeoutDuration());
        assertEquals("job-1", c.getCancelKey());
        assertTrue(c.isPersistentOutput());
        assertEquals(SandaiOperation.batch, c.getOperation());
        assertEquals(4, c.getConcurrency());
        assertEquals(Duration.ofSeconds(5), c.visibilityTimeoutDuration());
        assertEquals("video,audio", c.getInputSlots());

        OperatorSettings s = c.toOperatorSettings();
        assertEquals(ContentType.JSON, s.taskSerializer());
        assertEquals(Priority.HIGH, s.defaultPriority());
        assertEquals(Duration.ofSeconds(30), s.defaultTimeout());
        assertEquals(3, s.brokerPoolLimit());
        assertEquals(7200, s.resultExpiresSeconds());
        assertEquals(Duration.ofMinutes(10), s.cancelTtl());
        assertEquals(Duration.ofMillis(500), s.poolAcquireTimeout());
    }

    @Test
    void defaultsMatchTheDocumentedOnes() {
        SandaiConfiguration c = endpoint("sandai:op:v2").getConfiguration();
        assertEquals(SandaiOperation.process, c.getOperation());
        assertEquals("normal", c.getPriority());
        assertNull(c.getTimeout());
        assertEquals(1, c.getConcurrency());
        assertNull(c.getPrefetch());
        assertTrue(c.isAcksLate());
        assertEquals(Duration.ofSeconds(3600), c.visibilityTimeoutDuration());
        assertEquals(Duration.ofSeconds(30), c.shutdownTimeoutDuration());
        assertEquals("sandai.dead-letter", c.getDeadLetterQueue());
        assertEquals(16 * 1024 * 1024, c.getMaxMessageBytes());
        assertFalse(c.isTrackStarted());
    }

    @Test
    void unsetClientOptionsFallBackToEnvironmentThenDefaults() {
        SandaiConfiguration c = endpoint("sandai:op:v2").getConfiguration();
        assertNull(c.getBrokerUrl(), "unset means: let OperatorSettings consult SANDAI_OPERATOR_* first");
        assertNull(c.getTaskSerializer());
        OperatorSettings s = c.toOperatorSettings();
        String envBroker = System.getenv("SANDAI_OPERATOR_CELERY_BROKER_URL");
        if (envBroker == null || envBroker.isBlank()) {
            assertEquals("redis://localhost:6379/0", s.brokerUrl().toString());
        }
    }

    @Test
    void serializerIsAnAliasOfTaskSerializer() {
        assertEquals("json", endpoint("sandai:op:v1?serializer=json").getConfiguration().getTaskSerializer());
        assertEquals("msgpack", endpoint("sandai:op:v1?serializer=json&taskSerializer=msgpack").getConfiguration()
                .getTaskSerializer());
    }

    @Test
    void componentOptionsAreDefaultsThatEndpointsCopy() {
        SandaiComponent component = context.getComponent("sandai", SandaiComponent.class);
        component.getConfiguration().setPriority("low");
        component.getConfiguration().setBrokerUrl("redis://example:6390/2");
        SandaiEndpoint a = endpoint("sandai:op:v1");
        SandaiEndpoint b = endpoint("sandai:op:v1?priority=high");
        assertEquals("low", a.getConfiguration().getPriority());
        assertEquals("redis://example:6390/2", a.getConfiguration().getBrokerUrl());
        assertEquals("high", b.getConfiguration().getPriority());
        assertEquals("low", component.getConfiguration().getPriority(), "an endpoint must not change the defaults");
    }

    @Test
    void badPriorityFailsEndpointCreation() {
        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("sandai:op:v1?priority=urgent"));
        assertInstanceOf(InvalidPriorityException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("urgent"));
    }

    @Test
    void nameAndVersionAreRequired() {
        for (String uri : new String[] { "sandai:op", "sandai:op:", "sandai::v1", "sandai:a:b:c" }) {
            ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                    () -> context.getEndpoint(uri), uri);
            assertInstanceOf(IllegalArgumentException.class, e.getCause(), uri);
            assertTrue(e.getCause().getMessage().contains("sandai:operatorName:operatorVersion"), uri);
        }
    }

    @Test
    void unknownOptionIsRefused() {
        assertThrows(ResolveEndpointFailedException.class, () -> context.getEndpoint("sandai:op:v1?priorty=high"));
    }

    @Test
    void passwordsNeverShowInTheEndpointUriOrToString() {
        SandaiEndpoint e = endpoint("sandai:op:v1?brokerUrl=redis://alice:hunter2@redis.example:6380/1"
                                    + "&resultBackendUrl=redis://:s3cret@backend.example:6379/2"
                                    + "&trustStorePassword=tspass&keyStorePassword=kspass");
        assertEquals("hunter2", e.getConfiguration().toOperatorSettings().brokerUrl().password(),
                "the secret is still used to connect");
        for (String shown : new String[] { e.getEndpointUri(), e.toString(), e.getEndpointKey(),
                                           e.getConfiguration().toOperatorSettings().toString() }) {
            for (String secret : new String[] { "hunter2", "s3cret", "tspass", "kspass" }) {
                assertFalse(shown.contains(secret), secret + " leaked in " + shown);
            }
        }
        assertTrue(e.getEndpointUri().contains("redis.example"), e.getEndpointUri());
    }

    @Test
    void passwordsNeverShowInEndpointCreationErrors() {
        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("sandai:op:v1?brokerUrl=redis://:hunter2@localhost:6379&priority=urgent"));
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("hunter2"), t.getMessage());
        }
    }

    @Test
    void badBrokerUrlErrorIsSanitized() {
        SandaiEndpoint e = endpoint("sandai:op:v1?brokerUrl=http://:hunter2@localhost:6379");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> e.getConfiguration().toOperatorSettings());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }

    /** Every duration option, at endpoint and component level: a bare number is seconds (the timeout=30). */
    private static final String[] DURATION_OPTIONS = { "timeout", "cancelTtl", "visibilityTimeout", "shutdownTimeout",
                                                       "poolAcquireTimeout", "connectTimeout", "resultExpires" };

    @Test
    void bareNumberDurationsAreSeconds() {
        SandaiEndpoint e = endpoint("sandai:video-clipper:v1?priority=high&timeout=30");
        assertEquals(Duration.ofSeconds(30), e.getConfiguration().timeoutDuration());
        assertEquals(Duration.ofSeconds(30), e.getConfiguration().toOperatorSettings().defaultTimeout());

        StringBuilder uri = new StringBuilder("sandai:op:v1?concurrency=1");
        for (String option : DURATION_OPTIONS) {
            uri.append('&').append(option).append("=7");
        }
        OperatorSettings s = endpoint(uri.toString()).getConfiguration().toOperatorSettings();
        assertEquals(Duration.ofSeconds(7), s.defaultTimeout());
        assertEquals(Duration.ofSeconds(7), s.cancelTtl());
        assertEquals(Duration.ofSeconds(7), s.poolAcquireTimeout());
        assertEquals(Duration.ofSeconds(7), s.connectTimeout());
        assertEquals(7, s.resultExpiresSeconds());
        SandaiConfiguration c = endpoint(uri.toString()).getConfiguration();
        assertEquals(Duration.ofSeconds(7), c.visibilityTimeoutDuration());
        assertEquals(Duration.ofSeconds(7), c.shutdownTimeoutDuration());
    }

    @Test
    void componentLevelDurationsAreSecondsToo() throws Exception {
        SandaiComponent component = context.getComponent("sandai", SandaiComponent.class);
        // The path Camel Main, YAML and the Spring Boot starter take: the generated component configurer.
        org.apache.camel.support.PropertyBindingSupport.build()
                .withConfigurer(component.getComponentPropertyConfigurer()).withMandatory(true)
                .bind(context, component, new java.util.HashMap<>(java.util.Map.of("timeout", "45", "visibilityTimeout", 90)));
        assertEquals(Duration.ofSeconds(45), endpoint("sandai:op:v1").getConfiguration().timeoutDuration());
        assertEquals(Duration.ofSeconds(90), endpoint("sandai:op:v1").getConfiguration().visibilityTimeoutDuration());
    }

    @Test
    void badDurationFailsEndpointCreationNamingTheOption() {
        for (String option : DURATION_OPTIONS) {
            for (String bad : new String[] { "-5", "soon", "5x" }) {
                String uri = "sandai:op:v1?brokerUrl=redis://:hunter2@localhost:6379&" + option + "=" + bad;
                ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                        () -> context.getEndpoint(uri), uri);
                String messages = messages(e);
                assertTrue(messages.contains(option + ": '" + bad + "'"), messages);
                assertTrue(messages.contains(io.camelsandai.codec.Durations.ACCEPTED_FORMS), messages);
                assertFalse(messages.contains("hunter2"), messages);
            }
        }
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }

    @Test
    void consumerDescriptionListsAreCommaSeparated() {
        assertEquals(java.util.List.of("video", "audio"), io.camelsandai.util.CommaList.split(" video, audio ,"));
    }
}
