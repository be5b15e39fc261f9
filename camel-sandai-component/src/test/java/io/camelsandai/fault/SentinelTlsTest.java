package io.camelsandai.fault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.camelsandai.client.CallOptions;
import io.camelsandai.client.OperatorClient;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.OperatorRequest;
import io.camelsandai.model.OperatorResult;
import io.camelsandai.operator.OperatorRuntime;
import io.camelsandai.operator.OperatorRuntimeSettings;
import io.camelsandai.testsupport.SentinelCluster;
import io.camelsandai.testsupport.TlsMaterial;
import io.camelsandai.transport.TlsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sentinelTls}: sentinels and data nodes that speak TLS only (kombu's {@code sentinel_kwargs={'ssl': True}}
 * with {@code broker_use_ssl}); the client's and worker's connections verify the server certificate against the
 * test CA, and without {@code sentinelTls} nothing gets through.
 */
class SentinelTlsTest {
    @RegisterExtension
    static final SentinelCluster sentinel = SentinelCluster.builder().withTls().withSentinelPassword("spw").build();

    private static OperatorSettings settings(boolean sentinelTls) {
        TlsMaterial tls = sentinel.tls().orElseThrow();
        return OperatorSettings.builder().brokerUrl(sentinel.url()).sentinelMasterName(sentinel.masterName())
                .sentinelPassword("spw").sentinelTls(sentinelTls)
                .tls(new TlsSettings(tls.truststore().toString(), tls.truststorePassword(), null, null, true))
                .connectTimeout(Duration.ofSeconds(2)).environment(k -> null).build();
    }

    @Test
    void clientAndWorkerGoThroughTlsSentinelsToATlsMaster() throws Exception {
        OperatorRuntime runtime = new OperatorRuntime(OperatorRuntimeSettings.builder("tls-op", "v1")
                .connection(settings(true)).build(),
                task -> CompletableFuture.completedFuture(OperatorResult.success(List.of(), Map.of("ok", true))));
        try (runtime; OperatorClient client = OperatorClient.create("tls-op", "v1", settings(true))) {
            runtime.start();
            OperatorResult r = client.call(OperatorRequest.of(List.of(), Map.of("x", 1)),
                    CallOptions.timeout(Duration.ofSeconds(30)));
            assertTrue(r.isSuccess(), String.valueOf(r));
            assertEquals(true, r.results().get("ok"));
        }
    }

    @Test
    void withoutSentinelTlsNothingGetsThrough() {
        try (OperatorClient client = OperatorClient.create("tls-op", "v1", settings(false))) {
            assertFalse(client.ping(), "a plain connection reached a TLS-only sentinel");
        }
    }
}
