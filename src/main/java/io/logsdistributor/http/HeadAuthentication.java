package io.logsdistributor.http;

import io.logsdistributor.security.ApiKeyRegistry;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * With API keys on, checks the key from the request head, before any of the body is read: a request
 * without one of our keys gets 401 and its connection closed, and the server never buffers a body for
 * a stranger. Only the health endpoints are open; every other path needs a key, including paths no
 * route serves (a 401 instead of a 404 tells a stranger nothing). Which key may do what (agent or
 * operator, which agent) is still decided by the routes.
 */
final class HeadAuthentication implements Handler<RoutingContext> {

    private static final String X_API_KEY = "X-API-Key";

    private final ApiKeyRegistry keys;
    private final RejectionCounter ingestRejections;
    private final LongAdder refused = new LongAdder();

    HeadAuthentication(ApiKeyRegistry keys, RejectionCounter ingestRejections) {
        this.keys = keys;
        this.ingestRejections = ingestRejections;
    }

    long refused() {
        return refused.sum();
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!keys.enabled()) {
            ctx.next();
            return;
        }
        String path = Paths.of(ctx);
        MultiMap headers = ctx.request().headers();
        if (Paths.HEALTH.contains(path) || Paths.STATUS_PAGE.contains(path)
                || keys.authenticate(single(headers, HttpHeaders.AUTHORIZATION.toString()), single(headers, X_API_KEY)) != null) {
            ctx.next();
            return;
        }
        refused.increment();
        if (path.equals(Paths.INGEST)) {
            ingestRejections.rejected("unauthorized");
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        EarlyAnswer.send(ctx, 401, "{\"error\":\"unauthorized\"}", true);
    }

    /** A header sent twice is no credential: which copy counts would depend on the proxies in between. */
    private static String single(MultiMap headers, String name) {
        List<String> values = headers.getAll(name);
        return values.size() == 1 ? values.get(0) : null;
    }
}
