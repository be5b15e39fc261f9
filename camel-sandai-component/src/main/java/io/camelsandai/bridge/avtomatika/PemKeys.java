package io.camelsandai.bridge.avtomatika;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an unencrypted private key PEM as OpenSSL writes them, with the JDK alone: PKCS#8 ({@code PRIVATE KEY}),
 * PKCS#1 RSA ({@code RSA PRIVATE KEY}) and SEC1 EC ({@code EC PRIVATE KEY}); the last two are wrapped into PKCS#8.
 */
final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    /** DER of AlgorithmIdentifier {rsaEncryption, NULL}. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** DER of OID id-ecPublicKey. */
    private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private PemKeys() {
    }

    static PrivateKey read(String pem, String where) throws GeneralSecurityException {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue; // e.g. EC PARAMETERS before the key
            }
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            return switch (type) {
                case "PRIVATE KEY" -> pkcs8(der, where, "RSA", "EC", "Ed25519", "Ed448", "DSA");
                case "RSA PRIVATE KEY" -> pkcs8(wrap(RSA_ALGORITHM, der), where, "RSA");
                case "EC PRIVATE KEY" -> pkcs8(wrap(ecAlgorithm(der, where), der), where, "EC");
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(where + " holds an encrypted key; "
                        + "decrypt it (openssl pkcs8 -nocrypt) or use a keystore with a password");
                default -> throw new IllegalArgumentException(where + ": unsupported key type " + type);
            };
        }
        throw new IllegalArgumentException("no private key PEM block in " + where);
    }

    private static PrivateKey pkcs8(byte[] der, String where, String... algorithms) throws GeneralSecurityException {
        for (String algorithm : List.of(algorithms)) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("the private key in " + where + " is not one of " + List.of(algorithms));
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING key }. */
    private static byte[] wrap(byte[] algorithm, byte[] key) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithm);
        body.writeBytes(tlv(0x04, key));
        return tlv(0x30, body.toByteArray());
    }

    /** AlgorithmIdentifier {id-ecPublicKey, curve}, the curve OID taken from the SEC1 key's [0] parameters. */
    private static byte[] ecAlgorithm(byte[] sec1, String where) {
        int[] pos = {0};
        expect(sec1, pos, 0x30, where);
        length(sec1, pos);
        skip(sec1, pos); // version
        skip(sec1, pos); // privateKey
        if (pos[0] < sec1.length && (sec1[pos[0]] & 0xff) == 0xa0) {
            pos[0]++;
            length(sec1, pos);
            int start = pos[0];
            skip(sec1, pos);
            ByteArrayOutputStream alg = new ByteArrayOutputStream();
            alg.writeBytes(EC_PUBLIC_KEY);
            alg.write(sec1, start, pos[0] - start);
            return tlv(0x30, alg.toByteArray());
        }
        throw new IllegalArgumentException(where + ": the EC key names no curve; convert it with openssl pkcs8 -topk8 -nocrypt");
    }

    private static void expect(byte[] der, int[] pos, int tag, String where) {
        if (pos[0] >= der.length || (der[pos[0]] & 0xff) != tag) {
            throw new IllegalArgumentException(where + ": not a valid key structure");
        }
        pos[0]++;
    }

    private static int length(byte[] der, int[] pos) {
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int len = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            len = (len << 8) | (der[pos[0]++] & 0xff);
        }
        return len;
    }

    private static void skip(byte[] der, int[] pos) {
        pos[0]++; // tag
        int len = length(der, pos);
        pos[0] += len;
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len & 0xff);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
