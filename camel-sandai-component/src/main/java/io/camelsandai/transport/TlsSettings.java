package io.camelsandai.transport;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material for {@code rediss://}: an optional truststore (else the JVM's default trust) and an optional keystore
 * for client certificates. Passwords are never printed.
 */
public record TlsSettings(String trustStore, String trustStorePassword, String keyStore, String keyStorePassword,
        boolean verifyHostname) {

    public static final TlsSettings DEFAULT = new TlsSettings(null, null, null, null, true);

    SSLSocketFactory socketFactory() {
        if (trustStore == null && keyStore == null) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        try {
            TrustManagerFactory tmf = null;
            if (trustStore != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(trustStore, trustStorePassword));
            }
            KeyManagerFactory kmf = null;
            if (keyStore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                char[] pw = keyStorePassword == null ? new char[0] : keyStorePassword.toCharArray();
                kmf.init(load(keyStore, keyStorePassword), pw);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (Exception e) {
            // The cause may name the file; it never holds the password.
            throw new IllegalArgumentException("Cannot set up TLS for Redis: " + e.getMessage(), e);
        }
    }

    SSLParameters sslParameters() {
        SSLParameters params = new SSLParameters();
        if (verifyHostname) {
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        return params;
    }

    private static KeyStore load(String path, String password) throws Exception {
        String type = path.toLowerCase(java.util.Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            ks.load(in, password == null ? null : password.toCharArray());
        }
        return ks;
    }

    @Override
    public String toString() {
        return "TlsSettings[trustStore=" + trustStore + ", keyStore=" + keyStore + ", verifyHostname=" + verifyHostname
               + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsSettings t && verifyHostname == t.verifyHostname && Objects.equals(trustStore, t.trustStore)
               && Objects.equals(trustStorePassword, t.trustStorePassword) && Objects.equals(keyStore, t.keyStore)
               && Objects.equals(keyStorePassword, t.keyStorePassword);
    }

    @Override
    public int hashCode() {
        return Objects.hash(trustStore, keyStore, verifyHostname);
    }
}
