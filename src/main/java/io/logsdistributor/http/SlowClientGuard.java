package io.logsdistributor.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps slow and numerous clients from holding the server. Vert.x's idle timeout alone does not:
 * a client trickling one header byte every few seconds is never idle. So a connection must start a
 * request within the header timeout (after connecting, and again after each answer), a request must
 * be answered within the request timeout, and connections beyond the cap are closed on arrival.
 *
 * <p>Requests only stamp their connection's state; a periodic {@link #sweep} closes the laggards. A
 * timer per request would cost more than the rest of the request's bookkeeping.
 */
final class SlowClientGuard {

    private final int maxConnections;
    private final long headerTimeoutNanos;
    private final long requestTimeoutNanos;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<HttpConnection, ConnectionState> connections = new ConcurrentHashMap<>();
    private final LongAdder closedSlow = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /** When the connection started waiting for a request, or when its request started; 0 when neither. */
    private static final class ConnectionState {
        volatile long waitingSince;
        volatile long requestSince;
    }

    SlowClientGuard(HttpServerSettings settings) {
        this.maxConnections = settings.maxConnections();
        this.headerTimeoutNanos = settings.headerTimeout().toNanos();
        this.requestTimeoutNanos = settings.requestTimeout().toNanos();
    }

    /** How often {@link #sweep} should run: often enough that a timeout is not overrun by much. */
    Duration sweepInterval() {
        long shortest = Math.min(headerTimeoutNanos, requestTimeoutNanos);
        return Duration.ofNanos(Math.max(Duration.ofMillis(50).toNanos(), Math.min(shortest / 4, Duration.ofSeconds(1).toNanos())));
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
            ConnectionState state = new ConnectionState();
            state.waitingSince = System.nanoTime();
            connections.put(connection, state);
            connection.closeHandler(v -> {
                open.decrementAndGet();
                connections.remove(connection);
            });
        };
    }

    /** First handler of every request: the request started in time; now it must be answered in time. */
    Handler<RoutingContext> requestHandler() {
        return ctx -> {
            ConnectionState state = connections.get(ctx.request().connection());
            if (state != null) {
                state.waitingSince = 0;
                state.requestSince = System.nanoTime();
                ctx.addEndHandler(done -> {
                    state.requestSince = 0;
                    state.waitingSince = System.nanoTime();
                });
            }
            ctx.next();
        };
    }

    /** Closes every connection that has waited too long for a request, or for its answer. */
    void sweep() {
        long now = System.nanoTime();
        connections.forEach((connection, state) -> {
            long waiting = state.waitingSince;
            long request = state.requestSince;
            if ((waiting != 0 && now - waiting > headerTimeoutNanos) || (request != 0 && now - request > requestTimeoutNanos)) {
                state.waitingSince = 0;
                state.requestSince = 0;
                closedSlow.increment();
                connection.close();
            }
        });
    }
}
