package io.logsdistributor.http;

/**
 * Counts the packets the server refuses on /ingest before the ingest route sees them (no key, over
 * the body budget, starting, shutting down), under the same reasons as the route's own refusals.
 */
@FunctionalInterface
public interface RejectionCounter {

    void rejected(String reason);
}
