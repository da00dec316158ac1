package io.logsdistributor.http;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the ingest port is served: where, by how many event loops, with which limits on slow or
 * numerous clients and on the request bodies held in memory, and with TLS when certificate files
 * are given.
 *
 * @param maxInflightBodyBytes request bodies being received or processed, across all connections,
 *                             before further ones are refused with 503 (see {@link BodyBudget})
 * @param retryAfterSeconds    the Retry-After of the 503 answers given by the server itself
 * @param tlsReloadInterval    how often the certificate, key and client CA files are checked for new content
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
        long maxInflightBodyBytes,
        int retryAfterSeconds,
        Path tlsCertFile,
        Path tlsKeyFile,
        Path tlsClientCaFile,
        Duration tlsReloadInterval) {

    public boolean tls() {
        return tlsCertFile != null;
    }
}
