package io.camelsandai.bridge.avtomatika;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.camelsandai.util.Backoff;
import io.camelsandai.bridge.FakeAvtomatika;
import io.camelsandai.bridge.FakeOperator;
import io.camelsandai.bridge.OperatorTarget;
import io.camelsandai.client.OperatorSettings;
import io.camelsandai.model.Priority;
import io.camelsandai.testsupport.RedisServerExtension;
import io.camelsandai.testsupport.TlsMaterial;

/**
 * mTLS to the orchestrator (protocol section 1): the fake serves HTTPS and requires a client certificate issued by
 * the test CA; the certificate's CN is the worker identity and must equal the worker id.
 */
class AvtomatikaMtlsTest {
    private static final String GLOBAL = "mtls-global-token";
    private static final String WORKER_ID = "mtls-worker";

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.create();
    @TempDir
    static Path dir;

    private static TlsMaterial tls;
    private static TlsMaterial.ClientCertificate client;
    private static TlsMaterial.ClientCertificate intruder;
    private static FakeOperator operator;
    private static OperatorSettings operatorSettings;

    private FakeAvtomatika orchestrator;
    private final List<AvtomatikaWorker> workers = new ArrayList<>();

    @BeforeAll
    static void material() throws Exception {
        tls = TlsMaterial.generate(dir.resolve("tls"));
        client = tls.clientCertificate(WORKER_ID, dir.resolve("client"));
        intruder = tls.clientCertificate("someone-else", dir.resolve("intruder"));
        operator = new FakeOperator(REDIS.host(), REDIS.port(), "echo", "v1", 4);
        operatorSettings = OperatorSettings.builder().environment(k -> null).brokerUrl(REDIS.url()).build();
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
    }

    @BeforeEach
    void startOrchestrator() throws Exception {
        orchestrator = new FakeAvtomatika(GLOBAL, tls.serverSslContext(), true);
        orchestrator.pollHoldMillis(200);
    }

    @AfterEach
    void stopAll() {
        workers.forEach(w -> {
            if (w.isRunning()) {
                w.stop();
            }
        });
        orchestrator.close();
    }

    private AvtomatikaConfig.Builder config(Map<String, String> env) {
        AvtomatikaConfig.Builder b = AvtomatikaConfig.builder().fromEnvironment(env::get)
                .pollTimeout(Duration.ofSeconds(1)).heartbeatInterval(Duration.ofMillis(300))
                .shutdownTimeout(Duration.ofSeconds(10))
                .skill(AvtomatikaSkill.of("echo", new OperatorTarget("echo", "v1", Priority.NORMAL, Duration.ofSeconds(20))));
        b.bridge().reportBackoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(500)))
                .fetchBackoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(500)));
        return b;
    }

    private AvtomatikaWorker start(AvtomatikaConfig config) {
        AvtomatikaWorker worker = new AvtomatikaWorker(config, operatorSettings);
        workers.add(worker);
        worker.start();
        return worker;
    }

    private void assertCompletesATask() {
        String task = orchestrator.addTask("echo", Map.of("over", "mtls"), null);
        await().atMost(Duration.ofSeconds(20)).until(() -> orchestrator.resultOf(task) != null);
        assertEquals("success", orchestrator.resultOf(task).path("status").asText());
        assertEquals(Map.of(WORKER_ID, true), Map.of(WORKER_ID, orchestrator.registrations.containsKey(WORKER_ID)));
        assertTrue(orchestrator.certificateIdentities.contains(WORKER_ID), "authenticated by the certificate's CN");
        assertTrue(orchestrator.refusals().isEmpty(), () -> "refused: " + orchestrator.refusals());
    }

    /** The worker SDK's variables: PEM paths; the key in OpenSSL's default EC form (SEC1). */
    @Test
    void pemFilesFromTheSdksEnvironmentVariables() {
        AvtomatikaConfig cfg = config(Map.of("ORCHESTRATOR_URL", orchestrator.url(), "WORKER_ID", WORKER_ID,
                "WORKER_TOKEN", GLOBAL, "TLS_CA_PATH", tls.caCertPem().toString(),
                "TLS_CERT_PATH", client.certPem().toString(), "TLS_KEY_PATH", client.sec1KeyPem().toString())).build();
        assertTrue(cfg.tls().clientCertificate());
        start(cfg);
        assertCompletesATask();
    }

    @Test
    void keystoreAndTruststoreWithPasswordsThatAreNeverPrinted() {
        OrchestratorTls stores = OrchestratorTls.NONE
                .withTrust(null, tls.truststore(), tls.truststorePassword())
                .withClientCertificate(null, null, client.keystore(), client.keystorePassword());
        AvtomatikaConfig cfg = config(Map.of("ORCHESTRATOR_URL", orchestrator.url(), "WORKER_ID", WORKER_ID,
                "WORKER_TOKEN", GLOBAL)).tls(stores).build();
        assertFalse(stores.toString().contains(client.keystorePassword()));
        assertFalse(cfg.toString().contains(client.keystorePassword()));
        assertFalse(cfg.toString().contains(tls.truststorePassword()));
        start(cfg);
        assertCompletesATask();
    }

    @Test
    void pkcs8KeyWorksToo() {
        AvtomatikaConfig cfg = config(Map.of("ORCHESTRATOR_URL", orchestrator.url(), "WORKER_ID", WORKER_ID,
                "WORKER_TOKEN", GLOBAL)).tls(new OrchestratorTls(tls.caCertPem(), null, null, client.certPem(),
                client.keyPem(), null, null)).build();
        start(cfg);
        assertCompletesATask();
    }

    @Test
    void withoutAClientCertificateTheWorkerIsRefused() throws Exception {
        OrchestratorTls trustOnly = new OrchestratorTls(tls.caCertPem(), null, null, null, null, null, null);
        // the handshake itself fails: the orchestrator demands a certificate
        HttpClient http = HttpClient.newBuilder().sslContext(trustOnly.sslContext()).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(orchestrator.url() + "/_worker/workers/register"))
                .header("X-Worker-Token", GLOBAL).header("X-Worker-ID", WORKER_ID)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThrows(java.io.IOException.class, () -> http.send(probe, HttpResponse.BodyHandlers.ofString()));

        AvtomatikaWorker worker = start(config(Map.of("ORCHESTRATOR_URL", orchestrator.url(), "WORKER_ID", WORKER_ID,
                "WORKER_TOKEN", GLOBAL)).tls(trustOnly).build());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(orchestrator.registrations::isEmpty);
        assertTrue(worker.isRunning(), "it keeps retrying with backoff");
    }

    @Test
    void aCertificateForAnotherIdentityIsRefused() {
        AvtomatikaConfig cfg = config(Map.of("ORCHESTRATOR_URL", orchestrator.url(), "WORKER_ID", WORKER_ID,
                "WORKER_TOKEN", GLOBAL)).tls(new OrchestratorTls(tls.caCertPem(), null, null, intruder.certPem(),
                intruder.keyPem(), null, null)).build();
        start(cfg);
        await().atMost(Duration.ofSeconds(10)).until(() -> !orchestrator.refusals().isEmpty());
        assertTrue(orchestrator.refusals().get(0).startsWith("403"), () -> orchestrator.refusals().toString());
        assertTrue(orchestrator.refusals().get(0).contains("does not match worker_id"), () -> orchestrator.refusals().toString());
        assertTrue(orchestrator.registrations.isEmpty());
    }

    @Test
    void halfAClientCertificateIsAClearConfigurationError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OrchestratorTls.fromEnvironment(Map.of("TLS_CERT_PATH", client.certPem().toString())::get));
        assertTrue(e.getMessage().contains("TLS_KEY_PATH"));
    }
}
