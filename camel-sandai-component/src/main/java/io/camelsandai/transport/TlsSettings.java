package io.camelsandai.transport;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;

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
            KeyStore trust = trustStore == null ? null : TlsContexts.load(Path.of(trustStore), trustStorePassword);
            KeyStore keys = keyStore == null ? null : TlsContexts.load(Path.of(keyStore), keyStorePassword);
            char[] pw = keyStorePassword == null ? new char[0] : keyStorePassword.toCharArray();
            return TlsContexts.sslContext(trust, keys, pw).getSocketFactory();
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
