package io.logsdistributor.http;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * timer per request would cost more than the rest of the request's bookkeeping. The same state tells
 * the shutdown which requests are in progress and which connections are idle.
 */
final class SlowClientGuard {

    private final int maxConnections;
    private final long headerTimeoutNanos;
    private final long requestTimeoutNanos;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<HttpConnection, ConnectionState> connections = new ConcurrentHashMap<>();
    private final LongAdder closedSlow = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final CompletableFuture<Void> allClosed = new CompletableFuture<>();
    private volatile boolean closing;
    private volatile long lastAccepted = System.nanoTime();

    /**
     * When the connection started waiting for a request, or when its request started (0 when neither),
     * and that request.
     */
    private static final class ConnectionState {
        final Context context;
        volatile long waitingSince;
        volatile long requestSince;
        volatile RoutingContext request;

        ConnectionState(Context context) {
            this.context = context;
        }
    }

    /** A request being received or answered, and the event-loop context its connection runs on. */
    record InProgress(Context context, RoutingContext request) {
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
            lastAccepted = System.nanoTime();
            ConnectionState state = new ConnectionState(Vertx.currentContext());
            state.waitingSince = System.nanoTime();
            connections.put(connection, state);
            connection.closeHandler(v -> {
                connections.remove(connection);
                if (open.decrementAndGet() == 0 && closing) {
                    allClosed.complete(null);
                }
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
                state.request = ctx;
                ctx.addEndHandler(done -> {
                    state.request = null;
                    state.requestSince = 0;
                    state.waitingSince = System.nanoTime();
                });
            }
            ctx.next();
        };
    }

    /** When the last connection was accepted (System.nanoTime). */
    long lastAccepted() {
        return lastAccepted;
    }

    /** The requests in progress now. */
    List<InProgress> requestsInProgress() {
        List<InProgress> inProgress = new ArrayList<>();
        connections.forEach((connection, state) -> {
            RoutingContext request = state.request;
            if (request != null) {
                inProgress.add(new InProgress(state.context, request));
            }
        });
        return inProgress;
    }

    /** Completes when no connection is open any more; from now on, the last one to close completes it. */
    CompletableFuture<Void> whenAllClosed() {
        closing = true;
        if (open.get() == 0) {
            allClosed.complete(null);
        }
        return allClosed;
    }

    /**
     * Closes the connections that have been waiting for a request for at least {@code idleFor}: at
     * shutdown, once the port stopped accepting, a client that sends nothing more is not waited for.
     */
    void closeIdle(Duration idleFor) {
        long now = System.nanoTime();
        connections.forEach((connection, state) -> {
            long waiting = state.waitingSince;
            if (waiting != 0 && now - waiting >= idleFor.toNanos()) {
                state.waitingSince = 0;
                connection.close();
            }
        });
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
