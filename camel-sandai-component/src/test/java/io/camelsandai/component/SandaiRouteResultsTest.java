package io.camelsandai.component;

import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.camelsandai.model.Artifact;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.model.TaskError;
import io.camelsandai.model.TaskStatus;
import io.camelsandai.operator.OperatorFailure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the consumer turns what a route left on its exchange into the task's result (no Redis involved). */
class SandaiRouteResultsTest {
    private final DefaultCamelContext context = new DefaultCamelContext();

    private Exchange withBody(Object body) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(body);
        return exchange;
    }

    @Test
    void operatorResultBodyIsTakenAsIs() {
        OperatorResult result = OperatorResult.failed(new TaskError("Custom", "m", true));
        assertSame(result, SandaiRouteResults.toResult(withBody(result)));
    }

    @Test
    void mapWithArtifactsAndResultsIsASuccess() {
        OperatorResult r = SandaiRouteResults.toResult(withBody(Map.of(
                "artifacts", List.of(Map.of("uri", "s3://o/clip.mp4", "slot", "clip"), Artifact.of("s3://o/b", "thumb")),
                "results", Map.of("frames", 12))));
        assertEquals(TaskStatus.SUCCESS, r.status());
        assertEquals("s3://o/clip.mp4", r.artifactsInSlot("clip").get(0).uri());
        assertEquals("s3://o/b", r.artifactsInSlot("thumb").get(0).uri());
        assertEquals(Map.of("frames", 12), r.results());

        assertEquals(Map.of("value", 3), SandaiRouteResults.toResult(withBody(Map.of("results", 3))).results());
        assertTrue(SandaiRouteResults.toResult(withBody(Map.of("artifacts", List.of()))).results().isEmpty());
    }

    @Test
    void anyOtherBodyBecomesTheValueResult() {
        assertEquals(Map.of("value", "done"), SandaiRouteResults.toResult(withBody("done")).results());
        assertEquals(Map.of("value", Map.of("a", 1)), SandaiRouteResults.toResult(withBody(Map.of("a", 1))).results());
        assertEquals(Map.of("value", "abc"), SandaiRouteResults.toResult(withBody(new StringBuilder("abc"))).results());
        assertTrue(SandaiRouteResults.toResult(withBody(null)).results().isEmpty());
    }

    @Test
    void badArtifactsInAReplyAreAnInvalidResultFormatFailure() {
        OperatorFailure f = assertThrows(OperatorFailure.class,
                () -> SandaiRouteResults.toResult(withBody(Map.of("artifacts", List.of(Map.of("slot", "x"))))));
        assertEquals("InvalidResultFormat", f.type());
        assertEquals("InvalidResultFormat", assertThrows(OperatorFailure.class,
                () -> SandaiRouteResults.toResult(withBody(Map.of("artifacts", "nope")))).type());
    }

    @Test
    void exceptionBecomesAFailureNamedAfterTheException() {
        Exchange exchange = withBody("ignored");
        exchange.setException(new IllegalStateException("bad frame"));
        OperatorFailure f = assertThrows(OperatorFailure.class, () -> SandaiRouteResults.toResult(exchange));
        assertEquals("IllegalStateException", f.type());
        assertEquals("bad frame", f.getMessage());
        assertFalse(f.retryable());
    }

    @Test
    void camelWrapperIsLookedThrough() {
        Exchange exchange = withBody(null);
        exchange.setException(new RuntimeCamelException(new java.io.IOException("disk full")));
        assertEquals("IOException", assertThrows(OperatorFailure.class, () -> SandaiRouteResults.toResult(exchange)).type());
    }

    @Test
    void headersChooseTypeAndRetryable() {
        Exchange exchange = withBody(null);
        exchange.setException(new IllegalStateException("s3 timeout"));
        exchange.getMessage().setHeader(SandaiConstants.ERROR_TYPE, "StorageUnavailable");
        exchange.getMessage().setHeader(SandaiConstants.RETRYABLE, "true");
        OperatorFailure f = assertThrows(OperatorFailure.class, () -> SandaiRouteResults.toResult(exchange));
        assertEquals("StorageUnavailable", f.type());
        assertTrue(f.retryable());
    }

    @Test
    void retryableExceptionAndOperatorFailureKeepTheirTypeAndFlag() {
        Exchange retry = withBody(null);
        retry.setException(new RuntimeCamelException(new SandaiRetryableException("try later",
                new java.net.SocketTimeoutException("t"))));
        OperatorFailure f = assertThrows(OperatorFailure.class, () -> SandaiRouteResults.toResult(retry));
        assertEquals("SocketTimeoutException", f.type());
        assertEquals("try later", f.getMessage());
        assertTrue(f.retryable());

        Exchange typed = withBody(null);
        typed.setException(new OperatorFailure("ArtifactNotFound", "no such key", false));
        OperatorFailure g = assertThrows(OperatorFailure.class, () -> SandaiRouteResults.toResult(typed));
        assertEquals("ArtifactNotFound", g.type());
        assertFalse(g.retryable());
    }
}
