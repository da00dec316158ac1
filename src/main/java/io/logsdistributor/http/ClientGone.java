package io.logsdistributor.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.LongAdder;

/**
 * First failure handler of every request: a client that went away in the middle of its request (a
 * reset, a stalled upload cut by a timeout) fails the request with "connection closed". There is
 * nobody to answer, and nothing for an operator to act on: Vert.x would log each one as an ERROR with
 * a stack trace, which any client could then repeat at will. Counted instead; other failures go on to
 * the usual handling.
 */
final class ClientGone implements Handler<RoutingContext> {

    private final LongAdder gone = new LongAdder();

    /** Requests whose client left before they were answered. */
    long count() {
        return gone.sum();
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.failure() instanceof HttpClosedException || ctx.response().closed()) {
            gone.increment();
            return;
        }
        ctx.next();
    }
}
