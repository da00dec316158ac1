package io.logsdistributor.http;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The port's certificate and key as the TLS stack asks for them at each handshake, replaceable at any
 * moment: new handshakes get the new pair, connections already open keep theirs. (Vert.x 4.5's
 * {@code HttpServer#updateSSLOptions} swaps the whole SSL context instead, and connections accepted
 * while the new one is being built fail with a NullPointerException in Vert.x.)
 */
final class ReloadableKeyManager extends X509ExtendedKeyManager {

    /** One certificate chain and its key, under an alias of its own so that a handshake never mixes two. */
    record Identity(String alias, PrivateKey key, X509Certificate[] chain) {
    }

    private volatile Identity current;
    /** The one before: a handshake that chose its alias just before a swap still finds it. */
    private volatile Identity previous;

    void use(Identity identity) {
        previous = current;
        current = identity;
    }

    Identity current() {
        return current;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return alias(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return alias(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = alias(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Identity identity = find(alias);
        return identity == null ? null : identity.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Identity identity = find(alias);
        return identity == null ? null : identity.key();
    }

    /** The port is a server only. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    private String alias(String keyType) {
        Identity identity = current;
        return identity != null && identity.key().getAlgorithm().equalsIgnoreCase(keyType) ? identity.alias() : null;
    }

    private Identity find(String alias) {
        for (Identity identity : new Identity[] {current, previous}) {
            if (identity != null && identity.alias().equals(alias)) {
                return identity;
            }
        }
        return null;
    }
}
