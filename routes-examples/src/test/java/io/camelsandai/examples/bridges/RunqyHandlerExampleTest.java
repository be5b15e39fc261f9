package io.camelsandai.examples.bridges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.camelsandai.component.SandaiConstants;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskExecutionException;
import io.camelsandai.testsupport.RedisServerExtension;

/** The example serves the runqy-python test handler (from the component's test-jar) as transcribe:v1. */
class RunqyHandlerExampleTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();

    @TempDir
    Path dir;

    @Test
    void servesTheHandlerAsAnOperator() throws Exception {
        try (InputStream script = getClass().getResourceAsStream("/runqy/runqy_handler.py")) {
            Files.copy(script, dir.resolve("handler.py"));
        }
        CamelContext context = new DefaultCamelContext();
        context.start();
        try {
            RunqyHandlerExample.addTo(context, REDIS.url(), "/usr/bin/python3", dir.toString());
            String uri = "sandai:transcribe:v1?brokerUrl=" + REDIS.url() + "&timeout=30s";

            Exchange ok = context.createProducerTemplate().send(uri, ExchangePattern.InOut,
                    e -> e.getMessage().setBody(OperatorRequest.of(List.of(), Map.of("lang", "en"))));
            OperatorResult result = ok.getProperty(SandaiConstants.RESULT_PROPERTY, OperatorResult.class);
            assertEquals(Map.of("lang", "en"), result.results().get("echo"));

            Exchange failed = context.createProducerTemplate().send(uri, ExchangePattern.InOut,
                    e -> e.getMessage().setBody(OperatorRequest.of(List.of(), Map.of("raise", "no audio"))));
            assertEquals("no audio", assertInstanceOf(TaskExecutionException.class, failed.getException()).errorMessage());
        } finally {
            context.stop();
        }
    }
}
