package io.logsdistributor.http;

import io.logsdistributor.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.net.impl.KeyStoreHelper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The port's certificate, private key and client CA, read from their PEM files by content, so that a
 * renewed certificate (cert-manager, a Kubernetes Secret swapped through its symlinks) is served to new
 * handshakes without a restart or a dropped connection. A new set is taken only whole and valid: a
 * certificate and a key that do not belong together (one file replaced before the other) leave the
 * previous set in force until the next look.
 */
final class ServerCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificates.class);
    private static final byte[] PROBE = "logs-distributor key check".getBytes(StandardCharsets.US_ASCII);

    private final Path certFile;
    private final Path keyFile;
    private final Path clientCaFile;
    private final Vertx vertx;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong refusedReloads = new AtomicLong();
    private final ReloadableKeyManager keyManager = new ReloadableKeyManager();
    private final ReloadableTrustManager trustManager = new ReloadableTrustManager();
    private String seenVersion;

    ServerCertificates(HttpServerSettings settings, Vertx vertx) {
        this.certFile = settings.tlsCertFile();
        this.keyFile = settings.tlsKeyFile();
        this.clientCaFile = settings.tlsClientCaFile();
        this.vertx = vertx;
    }

    long reloads() {
        return reloads.get();
    }

    long refusedReloads() {
        return refusedReloads.get();
    }

    /** What the server presents: always the pair in force. */
    KeyCertOptions keyCertOptions() {
        return KeyCertOptions.wrap(keyManager);
    }

    /** Whom it trusts as clients (mutual TLS), or null without a client CA file. */
    TrustOptions trustOptions() {
        return clientCaFile == null ? null : TrustOptions.wrap(trustManager);
    }

    /** Reads the files as they are now, which must be valid: start-up stops on a bad set. */
    synchronized void load() {
        FileSet current = read();
        use(current);
        LOG.info("TLS on the HTTP port: {} ({}), TLSv1.2 and TLSv1.3 only", certFile, describe());
    }

    /**
     * Takes the files when they changed and the new set is valid. A changed set that is not valid is
     * logged once and counted, not on every look. Blocking file reads: not on an event loop.
     */
    synchronized void reloadIfChanged() {
        FileSet current;
        try {
            current = read();
        } catch (ConfigException e) {
            refuse("unreadable", e);
            return;
        }
        if (current.version().equals(seenVersion)) {
            return;
        }
        try {
            use(current);
            reloads.incrementAndGet();
            LOG.info("TLS certificate reloaded from {} ({}); new handshakes get it, open connections keep theirs", certFile,
                    describe());
        } catch (ConfigException e) {
            refuse(current.version(), e);
        }
    }

    private void use(FileSet files) {
        ReloadableKeyManager.Identity identity = identity(files);
        X509ExtendedTrustManager trust = files.clientCa() == null ? null : trust(files.clientCa());
        keyManager.use(identity);
        if (trust != null) {
            trustManager.use(trust);
        }
        seenVersion = files.version();
    }

    private void refuse(String version, ConfigException e) {
        if (!version.equals(seenVersion)) {
            seenVersion = version;
            refusedReloads.incrementAndGet();
            LOG.error("TLS certificate not reloaded, still serving the previous one: {}", e.getMessage());
        }
    }

    private record FileSet(Buffer cert, Buffer key, Buffer clientCa, String version) {
    }

    private FileSet read() {
        byte[] cert = bytes(certFile, "distributor.tls.cert-file");
        byte[] key = bytes(keyFile, "distributor.tls.key-file");
        byte[] clientCa = clientCaFile == null ? new byte[0] : bytes(clientCaFile, "distributor.tls.client-ca-file");
        MessageDigest digest = sha256();
        for (byte[] part : new byte[][] {cert, key, clientCa}) {
            digest.update(part);
            // lengths keep "ab"+"c" and "a"+"bc" apart
            digest.update(Integer.toString(part.length).getBytes(StandardCharsets.US_ASCII));
        }
        return new FileSet(Buffer.buffer(cert), Buffer.buffer(key), clientCaFile == null ? null : Buffer.buffer(clientCa),
                HexFormat.of().formatHex(digest.digest()));
    }

    private ReloadableKeyManager.Identity identity(FileSet files) {
        KeyStore store;
        try {
            store = new PemKeyCertOptions().setCertValue(files.cert()).setKeyValue(files.key()).loadKeyStore(vertx);
        } catch (Exception e) {
            throw new ConfigException("properties distributor.tls.cert-file and distributor.tls.key-file (env TLS_CERT_FILE, "
                    + "TLS_KEY_FILE): " + certFile + " and " + keyFile + " are not a PEM certificate chain and private key ("
                    + e.getMessage() + ")");
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                // the password Vert.x gives the key store it builds from PEM files
                PrivateKey key = (PrivateKey) store.getKey(alias, KeyStoreHelper.DUMMY_PASSWORD.toCharArray());
                Certificate[] chain = store.getCertificateChain(alias);
                if (key == null || chain == null || chain.length == 0) {
                    continue;
                }
                if (!belongTogether(key, chain[0].getPublicKey())) {
                    throw new ConfigException("properties distributor.tls.cert-file and distributor.tls.key-file (env "
                            + "TLS_CERT_FILE, TLS_KEY_FILE): the private key in " + keyFile
                            + " does not belong to the certificate in " + certFile);
                }
                X509Certificate[] certificates = new X509Certificate[chain.length];
                for (int i = 0; i < chain.length; i++) {
                    certificates[i] = (X509Certificate) chain[i];
                }
                return new ReloadableKeyManager.Identity(files.version(), key, certificates);
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException("properties distributor.tls.cert-file and distributor.tls.key-file: cannot read "
                    + certFile + " and " + keyFile + " (" + e.getMessage() + ")");
        }
        throw new ConfigException("property distributor.tls.key-file (env TLS_KEY_FILE): no private key in " + keyFile);
    }

    private X509ExtendedTrustManager trust(Buffer bundle) {
        try {
            PemTrustOptions options = new PemTrustOptions().addCertValue(bundle);
            if (Collections.list(options.loadKeyStore(vertx).aliases()).isEmpty()) {
                throw new IllegalArgumentException("no certificate in it");
            }
            for (TrustManager manager : options.getTrustManagerFactory(vertx).getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager trust) {
                    return trust;
                }
            }
            throw new IllegalArgumentException("no X.509 trust manager for it");
        } catch (Exception e) {
            throw new ConfigException("property distributor.tls.client-ca-file (env TLS_CLIENT_CA_FILE): " + clientCaFile
                    + " is not a PEM CA bundle (" + e.getMessage() + ")");
        }
    }

    private static boolean belongTogether(PrivateKey key, PublicKey certified) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            // a key type we cannot probe: the handshake will tell
            return true;
        }
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(PROBE);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        try {
            verifier.initVerify(certified);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // e.g. an EC key against an RSA certificate
            return false;
        }
    }

    private String describe() {
        X509Certificate certificate = keyManager.current().chain()[0];
        return certificate.getSubjectX500Principal().getName() + ", valid until " + certificate.getNotAfter().toInstant();
    }

    private static byte[] bytes(Path file, String property) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException("property " + property + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
