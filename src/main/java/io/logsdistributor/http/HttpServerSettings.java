package io.logsdistributor.http;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the ingest port is served: where, by how many event loops, with which limits on slow or
 * numerous clients, and with TLS when certificate files are given.
 */
public record HttpServerSettings(
        String host,
        int port,
        long maxBodyBytes,
        int eventLoops,
        int maxHeaderBytes,
        int maxConnections,
        Duration idleTimeout,
        Duration headerTimeout,
        Duration requestTimeout,
        Path tlsCertFile,
        Path tlsKeyFile,
        Path tlsClientCaFile) {

    public boolean tls() {
        return tlsCertFile != null;
    }
}
