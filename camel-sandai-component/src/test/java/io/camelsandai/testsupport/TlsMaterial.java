package io.camelsandai.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away CA and a server certificate for {@code localhost} / {@code 127.0.0.1}, generated at
 * test time (nothing secret is committed, nothing expires in the repository).
 *
 * <p>Files written into the given directory: {@code ca.pem} (for redis-server's
 * {@code tls-ca-cert-file} and Python's {@code ssl_ca_certs}), {@code server.pem} and
 * {@code server-key.pem} (PKCS#8) for redis-server, and {@code truststore.p12} (PKCS12 holding the
 * CA as a trusted entry) for Java clients. EC P-256 keys: as good as RSA for this and generated in
 * milliseconds, which keeps the default suite fast.
 *
 * <p>For mutual TLS: {@link #clientCertificate(String, Path)} issues client certificates from the same CA, and
 * {@link #serverSslContext()} serves with the server certificate while trusting that CA for client certificates.
 */
public final class TlsMaterial {

    private static final String SIGNATURE = "SHA256withECDSA";

    private final Path caCertPem;
    private final Path serverCertPem;
    private final Path serverKeyPem;
    private final Path truststore;
    private final String truststorePassword;
    private final KeyStore trustStore;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final KeyPair serverKeys;
    private final X509Certificate server;

    /**
     * A client certificate issued by the test CA: the certificate PEM, its key as PKCS#8 ({@code PRIVATE KEY}) and
     * as SEC1 ({@code EC PRIVATE KEY}, what OpenSSL writes by default), and a PKCS12 keystore with both.
     */
    public record ClientCertificate(Path certPem, Path keyPem, Path sec1KeyPem, Path keystore, String keystorePassword) {
        @Override
        public String toString() {
            return "ClientCertificate[" + certPem + "]";
        }
    }

    private TlsMaterial(Path caCertPem, Path serverCertPem, Path serverKeyPem, Path truststore,
                        String truststorePassword, KeyStore trustStore, KeyPair caKeys, X509Certificate ca,
                        KeyPair serverKeys, X509Certificate server) {
        this.caCertPem = caCertPem;
        this.serverCertPem = serverCertPem;
        this.serverKeyPem = serverKeyPem;
        this.truststore = truststore;
        this.truststorePassword = truststorePassword;
        this.trustStore = trustStore;
        this.caKeys = caKeys;
        this.ca = ca;
        this.serverKeys = serverKeys;
        this.server = server;
    }

    /** Generates the CA, the server certificate (SAN: DNS localhost, IP 127.0.0.1) and the files. */
    public static TlsMaterial generate(Path dir) {
        try {
            Files.createDirectories(dir);
            KeyPair caKeys = newKeyPair();
            X509Certificate ca = caCertificate(caKeys);
            KeyPair serverKeys = newKeyPair();
            X509Certificate server = serverCertificate(serverKeys, ca, caKeys.getPrivate());

            Path caPem = writePem(dir.resolve("ca.pem"), ca);
            Path serverPem = writePem(dir.resolve("server.pem"), server);
            Path keyPem = writePem(dir.resolve("server-key.pem"), new JcaPKCS8Generator(serverKeys.getPrivate(), null));

            String password = Long.toHexString(new SecureRandom().nextLong());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("sandai-test-ca", ca);
            Path p12 = dir.resolve("truststore.p12");
            try (OutputStream out = Files.newOutputStream(p12)) {
                trust.store(out, password.toCharArray());
            }
            return new TlsMaterial(caPem, serverPem, keyPem, p12, password, trust, caKeys, ca, serverKeys, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate test TLS material", e);
        }
    }

    /** CA certificate, PEM. */
    public Path caCertPem() {
        return caCertPem;
    }

    public Path serverCertPem() {
        return serverCertPem;
    }

    /** Server private key, unencrypted PKCS#8 PEM. */
    public Path serverKeyPem() {
        return serverKeyPem;
    }

    /** PKCS12 truststore holding the CA certificate. */
    public Path truststore() {
        return truststore;
    }

    public String truststorePassword() {
        return truststorePassword;
    }

    /** A TLS context that trusts exactly the generated CA. */
    public SSLContext sslContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public SSLSocketFactory sslSocketFactory() {
        return sslContext().getSocketFactory();
    }

    /** Issues a client certificate with this CN (clientAuth usage) and writes its files into {@code dir}. */
    public ClientCertificate clientCertificate(String commonName, Path dir) {
        try {
            Files.createDirectories(dir);
            KeyPair keys = newKeyPair();
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                    new X500Name("CN=" + commonName), keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
            X509Certificate cert = sign(builder, caKeys.getPrivate());
            Path certPem = writePem(dir.resolve(commonName + ".pem"), cert);
            Path keyPem = writePem(dir.resolve(commonName + "-key.pem"), new JcaPKCS8Generator(keys.getPrivate(), null));
            Path sec1Pem = writePem(dir.resolve(commonName + "-ec-key.pem"), sec1(keys.getPrivate()));
            String password = Long.toHexString(new SecureRandom().nextLong());
            Path p12 = dir.resolve(commonName + ".p12");
            writeKeyStore(p12, password, keys.getPrivate(), cert, ca);
            return new ClientCertificate(certPem, keyPem, sec1Pem, p12, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a test client certificate", e);
        }
    }

    /** A server context with the server certificate that trusts the test CA for client certificates. */
    public SSLContext serverSslContext() {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] pw = "server".toCharArray();
            keys.setKeyEntry("server", serverKeys.getPrivate(), pw, new java.security.cert.Certificate[] {server, ca});
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, pw);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key as OpenSSL writes EC keys by default: SEC1 with the curve named in its parameters. */
    private static org.bouncycastle.util.io.pem.PemObject sec1(PrivateKey key) throws IOException {
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
        org.bouncycastle.asn1.ASN1ObjectIdentifier curve = org.bouncycastle.asn1.ASN1ObjectIdentifier.getInstance(
                info.getPrivateKeyAlgorithm().getParameters());
        java.security.interfaces.ECPrivateKey ec = (java.security.interfaces.ECPrivateKey) key;
        return new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY",
                new org.bouncycastle.asn1.sec.ECPrivateKey(256, ec.getS(), curve).getEncoded());
    }

    private static void writeKeyStore(Path file, String password, PrivateKey key, X509Certificate... chain)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", key, password.toCharArray(), chain);
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate caCertificate(KeyPair keys) throws GeneralSecurityException, IOException,
            OperatorCreationException {
        X500Name name = new X500Name("CN=camel-sandai test CA");
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = builder(name, name, keys)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
        return sign(builder, keys.getPrivate());
    }

    private static X509Certificate serverCertificate(KeyPair keys, X509Certificate ca, PrivateKey caKey)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        GeneralNames sans = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
        });
        X509v3CertificateBuilder builder = builder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                new X500Name("CN=localhost"), keys)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, sans)
                .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
        return sign(builder, caKey);
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        // Back-dated an hour so a slightly skewed clock in a container or VM does not matter.
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException, OperatorCreationException {
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static Path writePem(Path file, Object object) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(writer)) {
            pem.writeObject(object);
        }
        return file;
    }
}
