package io.logsdistributor.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Drops the Content-Type of requests whose method carries no body (GET /health with a form content
 * type, say). Vert.x's body handler would otherwise try to decode a form for them, throw, and answer
 * a bare 500 to what is only an odd client. No route of ours reads a body on these methods.
 */
final class BodylessMethodGuard implements Handler<RoutingContext> {

    private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    @Override
    public void handle(RoutingContext ctx) {
        if (!WITH_BODY.contains(ctx.request().method())) {
            ctx.request().headers().remove(HttpHeaders.CONTENT_TYPE);
        }
        ctx.next();
    }
}
