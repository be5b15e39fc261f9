package io.camelsandai.examples.bridges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.bridge.runqy.FakeRunqyServer;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.TaskExecutionException;
import io.camelsandai.testsupport.RedisServerExtension;

/** The example's operator answers with what the (in-process) runqy server did with the task. */
class SandaiToRunqyExampleTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @Test
    void answersWithTheRunqyOutcome() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.start();
        try (FakeRunqyServer runqy = new FakeRunqyServer(300)) {
            SandaiToRunqyExample.addTo(context, REDIS.url(), runqy.url(), FakeRunqyServer.CLIENT_KEY);
            String uri = "sandai:summarize:v1?brokerUrl=" + REDIS.url() + "&timeout=30s";
            Exchange ok = context.createProducerTemplate().send(uri, ExchangePattern.InOut,
                    e -> e.getMessage().setBody(OperatorRequest.of(List.of(), Map.of("words", 50))));
            assertNull(ok.getException());
            Exchange archived = context.createProducerTemplate().send(uri, ExchangePattern.InOut,
                    e -> e.getMessage().setBody(OperatorRequest.of(List.of(), Map.of("outcome", "archive"))));
            assertEquals("RunqyTaskArchived",
                    assertInstanceOf(TaskExecutionException.class, archived.getException()).errorType());
        } finally {
            context.stop();
        }
    }
}
