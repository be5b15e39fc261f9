package io.camelsandai.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The two steps every TLS client of ours shares (Redis over {@code rediss://}, the Avtomatika orchestrator): load a
 * key or trust store from a file, and build an {@link SSLContext} from optional trust and key material. Missing
 * material falls back to the JVM's defaults. Passwords are only passed through, never put in a message.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /** A JKS store when the file name ends in {@code .jks}, else PKCS#12. */
    public static KeyStore load(Path path, String password) throws IOException, GeneralSecurityException {
        String type = path.toString().toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(path)) {
            ks.load(in, password == null ? null : password.toCharArray());
        }
        return ks;
    }

    /**
     * @param trust       trusted certificates; null for the JVM's default trust
     * @param keys        the client certificate and its key; null for none
     * @param keyPassword the key entries' password (empty for none)
     */
    public static SSLContext sslContext(KeyStore trust, KeyStore keys, char[] keyPassword)
            throws GeneralSecurityException {
        TrustManagerFactory tmf = null;
        if (trust != null) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
        }
        KeyManagerFactory kmf = null;
        if (keys != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, keyPassword);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return context;
    }
}
