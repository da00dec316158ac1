package io.logsdistributor.http;

import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** The request paths the server itself tells apart, compared the way the router matches them. */
final class Paths {

    static final String INGEST = "/ingest";
    static final String READINESS = "/observe/health/ready";
    /** Open to anyone even with API keys on, so that load balancers and probes work without one. */
    static final Set<String> HEALTH = Set.of("/health", "/observe/health", "/observe/health/live", READINESS);
    /**
     * Open to anyone too: the status page holds no data (it asks the operator for a key and reads /stats
     * with it), so a browser must be able to load it without one.
     */
    static final Set<String> STATUS_PAGE = Set.of("/", "/status");

    private Paths() {
    }

    /**
     * The path as the router matches it: dot segments and percent-encoded unreserved characters
     * resolved, and one trailing slash ignored (the router takes {@code /ingest/} for {@code /ingest}).
     */
    static String of(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.length() > 1 && path.endsWith("/")) {
            return path.substring(0, path.length() - 1);
        }
        return path;
    }
}
