package io.logsdistributor.http;

import io.vertx.core.http.HttpServerOptions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The TLS versions and cipher suites the port accepts: TLS 1.3 and 1.2 only, and for 1.2 only ECDHE
 * key exchange (forward secrecy) with AEAD ciphers (no CBC, no RSA key transport, no SHA-1 MACs), the
 * "intermediate" profile of Mozilla's server-side TLS guidelines. Every agent TLS library of the last
 * decade speaks one of these. docs/security.md lists them.
 */
final class TlsPolicy {

    static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    /** In order of preference. The TLS 1.3 suites must be listed too: an explicit list replaces the JDK's. */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsPolicy() {
    }

    static HttpServerOptions apply(HttpServerOptions options) {
        options.setEnabledSecureTransportProtocols(new LinkedHashSet<>(PROTOCOLS));
        CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
        return options;
    }
}
