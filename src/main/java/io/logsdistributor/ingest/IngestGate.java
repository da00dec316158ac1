package io.logsdistributor.ingest;

import io.logsdistributor.analyzer.AnalyzerRegistry;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Refuses, before reading the packet, what cannot be accepted: a body that is not JSON (415), or any
 * packet while the distributor shuts down or no analyzer can take traffic (503): accepting it would
 * only queue it with nowhere to go.
 */
public final class IngestGate implements Processor {

    private final AnalyzerRegistry analyzers;
    private final int retryAfterSeconds;

    public IngestGate(AnalyzerRegistry analyzers, int retryAfterSeconds) {
        this.analyzers = analyzers;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public void process(Exchange exchange) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (!isJson(contentType)) {
            throw new IngestRejection(415, "unsupported_media_type",
                    "Content-Type must be application/json, got " + (contentType == null ? "none" : "'" + contentType + "'"), 0);
        }
        if (analyzers.draining()) {
            throw new IngestRejection(503, "shutting_down", "the distributor is shutting down", retryAfterSeconds);
        }
        if (analyzers.eligibleCount() == 0) {
            throw new IngestRejection(503, "no_analyzer_available", "no analyzer can take traffic", retryAfterSeconds);
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }
}
