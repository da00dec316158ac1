package io.logsdistributor.security;

import io.logsdistributor.config.ConfigException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * The TLS side of forwarding to https:// analyzers, from PEM files: the CA bundle to trust instead of
 * the JVM's, and the client certificate for analyzers that require mutual TLS. Camel's JSSE
 * parameters take key stores, so the PEM contents are put in in-memory ones.
 */
public final class AnalyzerTls {

    // protects nothing: the in-memory store never leaves the process, the API just requires a password
    private static final char[] IN_MEMORY = "in-memory".toCharArray();

    private AnalyzerTls() {
    }

    /** Null when nothing is configured: camel-http then uses the JVM's defaults. */
    public static SSLContextParameters parameters(SecuritySettings settings) {
        if (settings.analyzerCaFile() == null && settings.analyzerCertFile() == null) {
            return null;
        }
        try {
            SSLContextParameters parameters = new SSLContextParameters();
            if (settings.analyzerCaFile() != null) {
                KeyStore trusted = emptyStore();
                List<X509Certificate> cas = PemFiles.certificates(settings.analyzerCaFile(), "distributor.analyzer-tls.ca-file");
                for (int i = 0; i < cas.size(); i++) {
                    trusted.setCertificateEntry("ca-" + i, cas.get(i));
                }
                TrustManagersParameters trust = new TrustManagersParameters();
                trust.setKeyStore(store(trusted));
                parameters.setTrustManagers(trust);
            }
            if (settings.analyzerCertFile() != null) {
                List<X509Certificate> chain = PemFiles.certificates(settings.analyzerCertFile(),
                        "distributor.analyzer-tls.cert-file");
                PrivateKey key = PemFiles.privateKey(settings.analyzerKeyFile(), "distributor.analyzer-tls.key-file");
                KeyStore identity = emptyStore();
                identity.setKeyEntry("client", key, IN_MEMORY, chain.toArray(new X509Certificate[0]));
                KeyManagersParameters keys = new KeyManagersParameters();
                keys.setKeyStore(store(identity));
                keys.setKeyPassword(new String(IN_MEMORY));
                parameters.setKeyManagers(keys);
            }
            return parameters;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("properties distributor.analyzer-tls.*: " + e.getMessage());
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, IN_MEMORY);
        return store;
    }

    private static KeyStoreParameters store(KeyStore store) {
        KeyStoreParameters parameters = new KeyStoreParameters();
        parameters.setKeyStore(store);
        parameters.setPassword(new String(IN_MEMORY));
        return parameters;
    }
}
