package io.logsdistributor.security;

import io.logsdistributor.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Certificates and private keys from PEM files, with the JDK alone; problems name the file. */
final class PemFiles {

    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");
    /** AlgorithmIdentifier of rsaEncryption, to wrap a PKCS#1 RSA key into PKCS#8. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemFiles() {
    }

    static List<X509Certificate> certificates(Path file, String property) {
        try {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file))).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new ConfigException(problem(property, file, "no PEM certificate in it"));
            }
            return certificates;
        } catch (IOException | CertificateException e) {
            throw new ConfigException(problem(property, file, "not a PEM certificate file (" + e.getMessage() + ")"));
        }
    }

    static PrivateKey privateKey(Path file, String property) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(problem(property, file, "cannot read (" + e.getMessage() + ")"));
        }
        Matcher pem = KEY.matcher(text);
        if (!pem.find()) {
            throw new ConfigException(problem(property, file, "no PEM private key in it"));
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
        String kind = pem.group(1).trim();
        byte[] pkcs8 = switch (kind) {
            case "" -> der;
            case "RSA" -> wrapRsa(der);
            default -> throw new ConfigException(problem(property, file, kind + " PRIVATE KEY is not supported: "
                    + "convert it to unencrypted PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem'"));
        };
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new ConfigException(problem(property, file, "not an RSA, EC or EdDSA private key"));
    }

    private static byte[] wrapRsa(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.writeBytes(derHeader(0x04, pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream sequence = new ByteArrayOutputStream();
        sequence.writeBytes(derHeader(0x30, body.size()));
        sequence.writeBytes(body.toByteArray());
        return sequence.toByteArray();
    }

    private static byte[] derHeader(int tag, int length) {
        if (length < 0x80) {
            return new byte[] {(byte) tag, (byte) length};
        }
        int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
        byte[] header = new byte[2 + bytes];
        header[0] = (byte) tag;
        header[1] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            header[2 + i] = (byte) (length >>> (8 * (bytes - 1 - i)));
        }
        return header;
    }

    private static String problem(String property, Path file, String what) {
        return "property " + property + ": " + file + ": " + what;
    }
}
