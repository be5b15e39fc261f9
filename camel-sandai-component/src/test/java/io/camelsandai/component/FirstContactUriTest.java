package io.camelsandai.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelsandai.model.TaskTimeoutException;
import io.camelsandai.testsupport.CeleryWorkerOptions;
import io.camelsandai.testsupport.PythonCelery;
import io.camelsandai.testsupport.RedisServerExtension;

/**
 * The URI that defines the project, copied as written: {@code timeout=30} is 30 seconds (it was 30 ms), against a
 * stock Python Celery worker serving the operator on a real Redis. The broker URL is a component option so that the
 * URI stays exactly the one a new user types.
 */
class FirstContactUriTest extends CamelTestSupport {
    private static final String URI = "sandai:video-clipper:v1?priority=high&timeout=30";

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    @RegisterExtension
    static final PythonCelery PYTHON = PythonCelery.create();

    @BeforeAll
    static void startOperator() {
        PYTHON.startWorker(CeleryWorkerOptions.builder().redis(REDIS).operator("video-clipper", "v1")
                .pool(CeleryWorkerOptions.Pool.THREADS).concurrency(2).build());
    }

    @BeforeEach
    void brokerOnTheComponent() {
        context.getComponent("sandai", SandaiComponent.class).getConfiguration().setBrokerUrl(REDIS.url());
    }

    private Exchange call(double operatorSeconds) {
        return template.send(URI, ExchangePattern.InOut, e -> e.getMessage().setBody(
                Map.of("input_artifacts", List.of(Map.of("uri", "s3://in/video.mp4", "slot", "video")),
                       "options", Map.of("sleep", operatorSeconds))));
    }

    @Test
    void succeedsAgainstAnOperatorThatAnswersInTwoSeconds() {
        double sentAt = System.currentTimeMillis() / 1000.0;
        Exchange out = call(2);

        assertNull(out.getException(), () -> "timeout=30 must not expire after 2 s: " + out.getException());
        assertEquals("success", out.getMessage().getHeader(SandaiConstants.STATUS));
        Map<?, ?> results = (Map<?, ?>) out.getMessage().getBody(Map.class).get("results");
        Map<?, ?> meta = (Map<?, ?>) results.get("meta");
        assertEquals("high", meta.get("priority"));
        // The operator saw a deadline about 30 s after sending (30 ms would be in the past already; bounds loose
        // because endpoint creation happens between sentAt and the send).
        double deadlineIn = ((Number) meta.get("deadline")).doubleValue() - sentAt;
        assertTrue(deadlineIn > 25 && deadlineIn < 40, "deadline " + deadlineIn + " s after sending");
    }

    @Test
    void aBareNumberInTheTimeoutHeaderIsSecondsToo() {
        // Header 5 (an Integer, as YAML or a setHeader(constant(5)) gives it) against an operator taking 1 s: read as
        // milliseconds it would time out at once.
        Exchange out = template.send(URI, ExchangePattern.InOut, e -> {
            e.getMessage().setBody(Map.of("options", Map.of("sleep", 1)));
            e.getMessage().setHeader(SandaiConstants.TIMEOUT, 5);
        });
        assertNull(out.getException(), () -> "header timeout 5 must not expire after 1 s: " + out.getException());
        assertEquals("success", out.getMessage().getHeader(SandaiConstants.STATUS));
    }

    @Test
    void endsWithTaskTimeoutAfterAboutThirtySecondsAgainstOneThatTakesForty() {
        long start = System.nanoTime();
        Exchange out = call(40);
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        // A result would have come after 40 s; the typed timeout proves the wait ended first ...
        TaskTimeoutException e = assertInstanceOf(TaskTimeoutException.class, out.getException());
        // ... and not after 30 ms: an outcome bound, not a timing assertion.
        assertTrue(waited.compareTo(Duration.ofSeconds(25)) >= 0, "gave up after " + waited + ": " + e.getMessage());
    }
}
