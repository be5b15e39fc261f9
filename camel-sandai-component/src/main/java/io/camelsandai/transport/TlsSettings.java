package io.camelsandai.transport;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS material for {@code rediss://} and {@code amqps://}: an optional truststore (else the JVM's default trust) and an optional keystore
 * for client certificates. Passwords are never printed.
 */
public record TlsSettings(String trustStore, String trustStorePassword, String keyStore, String keyStorePassword,
        boolean verifyHostname) {

    public static final TlsSettings DEFAULT = new TlsSettings(null, null, null, null, true);

    SSLSocketFactory socketFactory() {
        if (trustStore == null && keyStore == null) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        return sslContext().getSocketFactory();
    }

    /**
     * The TLS context these settings describe, for transports that take a context rather than a socket factory
     * (AMQP): the JVM's default when neither store is set.
     *
     * @throws IllegalArgumentException when a store cannot be read; the message never holds a password
     */
    public SSLContext sslContext() {
        try {
            if (trustStore == null && keyStore == null) {
                return SSLContext.getDefault();
            }
            KeyStore trust = trustStore == null ? null : TlsContexts.load(Path.of(trustStore), trustStorePassword);
            KeyStore keys = keyStore == null ? null : TlsContexts.load(Path.of(keyStore), keyStorePassword);
            char[] pw = keyStorePassword == null ? new char[0] : keyStorePassword.toCharArray();
            return TlsContexts.sslContext(trust, keys, pw);
        } catch (Exception e) {
            // The cause may name the file; it never holds the password.
            throw new IllegalArgumentException("Cannot set up TLS: " + e.getMessage(), e);
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
