package io.logsdistributor.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shutting the port down without leaving a request unanswered, in two steps: when shutdown begins,
 * before any route stops, the requests in progress are settled; when the routes have drained the
 * queue, the port stops accepting and its last connections are answered before they close.
 */
final class PortShutdown {

    private static final Logger LOG = LoggerFactory.getLogger(PortShutdown.class);
    /** Before the routes stop: how long the requests in progress may take to be answered. */
    private static final Duration SETTLE_GRACE = Duration.ofSeconds(3);
    /** Once the port stopped accepting: how long the open connections may take to finish. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(3);
    /**
     * How long a connection that has sent nothing since its last answer (or since it was accepted) is
     * waited for once the port stopped accepting: a client that just connected is about to send.
     */
    private static final Duration CLOSE_IDLE_AFTER = Duration.ofSeconds(1);
    /** No connection accepted for this long: the clients have stopped connecting anew. */
    private static final Duration QUIET = Duration.ofMillis(100);
    private static final Duration QUIET_AT_MOST = Duration.ofSeconds(1);

    private final SlowClientGuard connections;
    private final LifecycleGate gate;
    private final Vertx vertx;

    PortShutdown(SlowClientGuard connections, LifecycleGate gate, Vertx vertx) {
        this.connections = connections;
        this.gate = gate;
        this.vertx = vertx;
    }

    /**
     * Shutdown began (the gate drains), and no route has stopped yet. A request still receiving its
     * body would reach its route after the route stopped, and get a 500 from Camel: it gets its 503 now,
     * and the rest of its body is dropped. A request whose body has arrived is on its way into its route:
     * the routes stop only once it has been answered.
     */
    void settleRequestsInProgress() {
        List<CompletableFuture<Void>> answered = new ArrayList<>();
        for (SlowClientGuard.InProgress inProgress : connections.requestsInProgress()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            answered.add(done);
            inProgress.context().runOnContext(v -> {
                RoutingContext ctx = inProgress.request();
                if (ctx.response().ended() || ctx.response().closed()) {
                    done.complete(null);
                    return;
                }
                ctx.addEndHandler(end -> done.complete(null));
                if (!ctx.request().isEnded()) {
                    gate.refuse(ctx, "shutting_down", true);
                }
            });
        }
        await(CompletableFuture.allOf(answered.toArray(CompletableFuture[]::new)), SETTLE_GRACE,
                "requests still in progress after {} s: stopping the routes anyway");
    }

    /**
     * Every request from now on gets 503 at once, on a connection kept open until no client has connected
     * for a moment: a connection the kernel has taken but the server not yet accepted when the listening
     * socket closes gets a reset. Then the port stops accepting, the open connections get their answers
     * (and close), idle ones are closed. What is still open after the grace is left to Vert.x to close.
     */
    void closePort(List<HttpServer> servers) {
        gate.quiescing();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - connections.lastAccepted() < QUIET.toNanos() && System.nanoTime() - quietSince < QUIET_AT_MOST.toNanos()) {
            LockSupport.parkNanos(QUIET.toNanos() / 10);
        }
        boolean stoppedAccepting = !servers.isEmpty() && ListeningSocket.close(servers.get(0));
        gate.closing();
        if (!stoppedAccepting) {
            return;
        }
        long idleSweeper = vertx.setPeriodic(CLOSE_IDLE_AFTER.toMillis() / 10, id -> connections.closeIdle(CLOSE_IDLE_AFTER));
        try {
            await(connections.whenAllClosed(), CLOSE_GRACE, "connections still open after {} s: closing them");
        } finally {
            vertx.cancelTimer(idleSweeper);
        }
    }

    private static void await(CompletableFuture<Void> done, Duration grace, String lateMessage) {
        try {
            done.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.info(lateMessage, grace.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
