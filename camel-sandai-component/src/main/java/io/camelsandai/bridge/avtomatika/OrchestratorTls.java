package io.camelsandai.bridge.avtomatika;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.function.Function;

import javax.net.ssl.SSLContext;

import io.camelsandai.transport.TlsContexts;

/**
 * TLS towards the orchestrator (protocol section 1: TLS and mTLS are optional; with mTLS the client certificate's CN
 * is the worker identity and must equal the worker id). Server trust: a CA PEM file ({@code TLS_CA_PATH}, as the
 * worker SDK) or a truststore, else the JVM's default trust. Client certificate: a certificate chain PEM plus an
 * unencrypted private key PEM ({@code TLS_CERT_PATH} / {@code TLS_KEY_PATH}, as the SDK; PKCS#8, PKCS#1 RSA or SEC1
 * EC keys), or a PKCS12/JKS keystore. Passwords never appear in {@link #toString()} or in error messages.
 *
 * @param caPem              PEM file with the CA certificate(s) to trust; may be null
 * @param trustStore         PKCS12 or JKS ({@code .jks}) truststore; may be null
 * @param trustStorePassword may be null
 * @param certPem            PEM file with the client certificate (chain); needs {@code keyPem}
 * @param keyPem             PEM file with the client's private key
 * @param keyStore           PKCS12 or JKS keystore with the client key and certificate; may be null
 * @param keyStorePassword   password of the keystore and of its key; may be null
 */
public record OrchestratorTls(Path caPem, Path trustStore, String trustStorePassword, Path certPem, Path keyPem,
        Path keyStore, String keyStorePassword) {

    /** Nothing configured: the JVM's default trust, no client certificate. */
    public static final OrchestratorTls NONE = new OrchestratorTls(null, null, null, null, null, null, null);

    public OrchestratorTls {
        if ((certPem == null) != (keyPem == null)) {
            throw new IllegalArgumentException("a client certificate needs both the certificate PEM (TLS_CERT_PATH) "
                                               + "and the key PEM (TLS_KEY_PATH)");
        }
        if (certPem != null && keyStore != null) {
            throw new IllegalArgumentException("give the client certificate either as PEM files or as a keystore, not both");
        }
        if (caPem != null && trustStore != null) {
            throw new IllegalArgumentException("give the trusted CA either as a PEM file or as a truststore, not both");
        }
    }

    /** The worker SDK's variables {@code TLS_CA_PATH}, {@code TLS_CERT_PATH}, {@code TLS_KEY_PATH}, plus
     * {@code TLS_TRUSTSTORE_PATH}/{@code _PASSWORD} and {@code TLS_KEYSTORE_PATH}/{@code _PASSWORD} for Java stores. */
    public static OrchestratorTls fromEnvironment(Function<String, String> env) {
        return new OrchestratorTls(path(env.apply("TLS_CA_PATH")), path(env.apply("TLS_TRUSTSTORE_PATH")),
                blankToNull(env.apply("TLS_TRUSTSTORE_PASSWORD")), path(env.apply("TLS_CERT_PATH")),
                path(env.apply("TLS_KEY_PATH")), path(env.apply("TLS_KEYSTORE_PATH")),
                blankToNull(env.apply("TLS_KEYSTORE_PASSWORD")));
    }

    public OrchestratorTls withTrust(Path caPemFile, Path store, String password) {
        return new OrchestratorTls(caPemFile, store, password, certPem, keyPem, keyStore, keyStorePassword);
    }

    public OrchestratorTls withClientCertificate(Path certPemFile, Path keyPemFile, Path store, String password) {
        return new OrchestratorTls(caPem, trustStore, trustStorePassword, certPemFile, keyPemFile, store, password);
    }

    /** Whether anything differs from the JVM defaults. */
    public boolean configured() {
        return caPem != null || trustStore != null || certPem != null || keyStore != null;
    }

    /** Whether a client certificate is sent (mTLS). */
    public boolean clientCertificate() {
        return certPem != null || keyStore != null;
    }

    /** The context for the HTTP client and the WebSocket; null when nothing is configured (JVM defaults). */
    public SSLContext sslContext() {
        if (!configured()) {
            return null;
        }
        String step = "trust material";
        try {
            KeyStore trust = caPem != null ? pemTrust(caPem)
                    : trustStore != null ? TlsContexts.load(trustStore, trustStorePassword) : null;
            step = "client certificate";
            char[] keyPassword = keyStorePassword == null ? new char[0] : keyStorePassword.toCharArray();
            KeyStore keys = certPem != null ? pemKeys(certPem, keyPem, keyPassword)
                    : keyStore != null ? TlsContexts.load(keyStore, keyStorePassword) : null;
            return TlsContexts.sslContext(trust, keys, keyPassword);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // the message may name a file; it never holds a password
            throw new IllegalArgumentException("cannot set up TLS to the orchestrator (" + step + "): " + e.getMessage(), e);
        }
    }

    private static KeyStore pemTrust(Path file) throws IOException, GeneralSecurityException {
        KeyStore ks = emptyStore();
        int i = 0;
        for (Certificate c : certificates(file)) {
            ks.setCertificateEntry("ca-" + i++, c);
        }
        if (i == 0) {
            throw new IllegalArgumentException("no certificate in " + file);
        }
        return ks;
    }

    private static KeyStore pemKeys(Path certFile, Path keyFile, char[] password) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> chain = certificates(certFile);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + certFile);
        }
        PrivateKey key = PemKeys.read(Files.readString(keyFile, StandardCharsets.US_ASCII), keyFile.toString());
        KeyStore ks = emptyStore();
        ks.setKeyEntry("client", key, password, chain.toArray(Certificate[]::new));
        return ks;
    }

    private static Collection<? extends Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        byte[] bytes = Files.readAllBytes(file);
        return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
    }

    private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        return ks;
    }

    private static Path path(String v) {
        String s = blankToNull(v);
        return s == null ? null : Path.of(s);
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    @Override
    public String toString() {
        return "OrchestratorTls[caPem=" + caPem + ", trustStore=" + trustStore + ", certPem=" + certPem + ", keyPem="
               + keyPem + ", keyStore=" + keyStore + (trustStorePassword != null || keyStorePassword != null
                       ? ", passwords=***" : "") + "]";
    }
}
