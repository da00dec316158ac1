package io.logsdistributor.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers for the distributor while its routes cannot. The port opens before the routes start, and
 * at shutdown the routes go away one by one while the queue drains; in both windows Vert.x would
 * answer 404 (and a half-started route 500), which log shippers take as "give up". So:
 * <ul>
 * <li>until the distributor is ready, every request gets 503 + Retry-After ({@code "starting"});</li>
 * <li>once shutdown began, {@code /ingest} gets 503 {@code "shutting_down"} and readiness is DOWN,
 * other endpoints answer while their route is there, and a catch-all behind every route answers
 * 503 for the paths whose route is gone. Each of these answers closes its connection, so that
 * clients reconnect, to another replica behind a load balancer;</li>
 * <li>when the port is about to close, every request gets 503 {@code "shutting_down"} at once: first
 * on a connection kept open, so that clients stop connecting anew while the port stops accepting,
 * then closing it.</li>
 * </ul>
 */
final class LifecycleGate {

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleGate.class);

    enum Phase { STARTING, READY, DRAINING, QUIESCING, CLOSING }

    private final Router router;
    private final int retryAfterSeconds;
    private final RejectionCounter ingestRejections;
    private final LongAdder unready = new LongAdder();
    private volatile Phase phase = Phase.STARTING;

    LifecycleGate(Router router, int retryAfterSeconds, RejectionCounter ingestRejections) {
        this.router = router;
        this.retryAfterSeconds = retryAfterSeconds;
        this.ingestRejections = ingestRejections;
    }

    /** Answers given by the gate instead of a route: 503s while starting or shutting down. */
    long unreadyAnswers() {
        return unready.sum();
    }

    /** The routes are started (and, with a durable queue, its journal loaded). */
    synchronized void ready() {
        if (phase == Phase.STARTING) {
            phase = Phase.READY;
            LOG.info("Ready: the HTTP port now serves the routes");
        }
    }

    /** Shutdown began: ingest stops, routes will disappear while the queue drains. */
    synchronized void draining() {
        if (phase == Phase.STARTING || phase == Phase.READY) {
            // behind every route: a 404 would otherwise answer for the routes already stopped. Only
            // now: while routes are up, a route matching everything would turn their 405s into 404s.
            router.route().order(Integer.MAX_VALUE).handler(this::catchAll);
            phase = Phase.DRAINING;
        }
    }

    /** The port stops accepting next: nothing may reach a route any more, and clients should keep their connection. */
    synchronized void quiescing() {
        draining();
        phase = Phase.QUIESCING;
    }

    /** The port no longer accepts: each answer closes its connection, the last ones close. */
    synchronized void closing() {
        draining();
        phase = Phase.CLOSING;
    }

    /** First handler of every request (after the slow-client guard). */
    Handler<RoutingContext> handler() {
        return ctx -> {
            switch (phase) {
                case READY -> ctx.next();
                case STARTING -> refuse(ctx, "starting", false);
                case QUIESCING -> refuse(ctx, "shutting_down", false);
                case CLOSING -> refuse(ctx, "shutting_down", true);
                case DRAINING -> {
                    String path = Paths.of(ctx);
                    if (path.equals(Paths.INGEST) || path.equals(Paths.READINESS)) {
                        refuse(ctx, "shutting_down", true);
                    } else {
                        closeAfterAnswer(ctx);
                        ctx.next();
                    }
                }
            }
        };
    }

    private void catchAll(RoutingContext ctx) {
        if (phase == Phase.READY) {
            ctx.next();
        } else {
            refuse(ctx, "shutting_down", true);
        }
    }

    void refuse(RoutingContext ctx, String error, boolean close) {
        unready.increment();
        if (Paths.of(ctx).equals(Paths.INGEST)) {
            ingestRejections.rejected(error);
        }
        EarlyAnswer.unavailable(ctx, error, retryAfterSeconds, close);
    }

    /**
     * An operator endpoint answered by its route during the drain: its connection closes after the
     * answer too, and a 503 from a stopping route gets a Retry-After like every other.
     */
    private void closeAfterAnswer(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> {
            ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            if (ctx.response().getStatusCode() == 503 && !ctx.response().headers().contains(HttpHeaders.RETRY_AFTER)) {
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
            }
        });
        ctx.addEndHandler(done -> {
            if (done.succeeded()) {
                EarlyAnswer.closeAfterBody(ctx);
            }
        });
    }
}
