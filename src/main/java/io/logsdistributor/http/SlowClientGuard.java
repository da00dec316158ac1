package io.logsdistributor.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps slow and numerous clients from holding the server. Vert.x's idle timeout alone does not:
 * a client trickling one header byte every few seconds is never idle. So a connection must start a
 * request within the header timeout (after connecting, and again after each answer), a request must
 * be answered within the request timeout, and connections beyond the cap are closed on arrival.
 */
final class SlowClientGuard {

    private final Vertx vertx;
    private final int maxConnections;
    private final long headerTimeoutMillis;
    private final long requestTimeoutMillis;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<HttpConnection, Long> waitingForRequest = new ConcurrentHashMap<>();
    private final LongAdder closedSlow = new LongAdder();
    private final LongAdder refused = new LongAdder();

    SlowClientGuard(Vertx vertx, HttpServerSettings settings) {
        this.vertx = vertx;
        this.maxConnections = settings.maxConnections();
        this.headerTimeoutMillis = settings.headerTimeout().toMillis();
        this.requestTimeoutMillis = settings.requestTimeout().toMillis();
    }

    int openConnections() {
        return open.get();
    }

    long closedSlowClients() {
        return closedSlow.sum();
    }

    long refusedConnections() {
        return refused.sum();
    }

    Handler<HttpConnection> connectionHandler() {
        return connection -> {
            if (open.incrementAndGet() > maxConnections) {
                open.decrementAndGet();
                refused.increment();
                connection.close();
                return;
            }
            connection.closeHandler(v -> {
                open.decrementAndGet();
                cancelWait(connection);
            });
            awaitRequest(connection);
        };
    }

    /** First handler of every request: the request started in time; now it must be answered in time. */
    Handler<RoutingContext> requestHandler() {
        return ctx -> {
            HttpConnection connection = ctx.request().connection();
            cancelWait(connection);
            long deadline = vertx.setTimer(requestTimeoutMillis, id -> {
                if (!ctx.response().ended()) {
                    closedSlow.increment();
                    connection.close();
                }
            });
            ctx.addEndHandler(done -> {
                vertx.cancelTimer(deadline);
                awaitRequest(connection);
            });
            ctx.next();
        };
    }

    private void awaitRequest(HttpConnection connection) {
        long timer = vertx.setTimer(headerTimeoutMillis, id -> {
            if (waitingForRequest.remove(connection, id)) {
                closedSlow.increment();
                connection.close();
            }
        });
        Long previous = waitingForRequest.put(connection, timer);
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
    }

    private void cancelWait(HttpConnection connection) {
        Long timer = waitingForRequest.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }
}
