package io.logsdistributor.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * An answer given from the request head alone, before any route runs and before any of the body is
 * buffered. When the connection is to be closed, the rest of the body is read and dropped first:
 * closing a socket with unread bytes in it makes the kernel send a reset, which can destroy our answer
 * before the client reads it. As nginx's lingering close: the connection closes when the body ends,
 * when nothing arrived for {@link #LINGER_IDLE_MS}, or after {@link #LINGER_MAX_MS} at most. And after
 * {@link #LINGER_MAX_BYTES}: reading what thousands of refused clients keep sending would cost the event
 * loop more than the reset costs them (an ordinary packet is smaller, and its sender sees the answer).
 */
final class EarlyAnswer {

    static final String JSON = "application/json";
    static final long LINGER_IDLE_MS = 1000;
    static final long LINGER_MAX_MS = 5_000;
    static final long LINGER_MAX_BYTES = 64 * 1024;

    private EarlyAnswer() {
    }

    /** 503 with Retry-After and the body {@code {"error":<error>,"retry_after_s":N}}. */
    static void unavailable(RoutingContext ctx, String error, int retryAfterSeconds, boolean close) {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        send(ctx, 503, "{\"error\":\"" + error + "\",\"retry_after_s\":" + retryAfterSeconds + "}", close);
    }

    static void send(RoutingContext ctx, int status, String json, boolean close) {
        HttpServerResponse response = ctx.response();
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        response.end(json);
        if (close) {
            closeAfterBody(ctx);
        }
    }

    /**
     * Closes the connection once the rest of the request's body has been read and dropped (see above).
     * Called after the answer was ended: the close is queued behind it on the channel.
     */
    static void closeAfterBody(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpConnection connection = request.connection();
        if (request.isEnded() || "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            // a client waiting for 100 Continue sends no body: nothing would arrive to linger for
            connection.close();
            return;
        }
        new Linger(ctx.vertx(), request, connection).start();
    }

    /** Drops what still arrives of a refused request's body, and closes when it is time. All on the connection's event loop. */
    private static final class Linger {

        private final Vertx vertx;
        private final HttpServerRequest request;
        private final HttpConnection connection;
        private final long start = System.nanoTime();
        private long lastData = start;
        private long dropped;
        private long timer;

        Linger(Vertx vertx, HttpServerRequest request, HttpConnection connection) {
            this.vertx = vertx;
            this.request = request;
            this.connection = connection;
        }

        void start() {
            timer = vertx.setPeriodic(LINGER_IDLE_MS / 4, id -> {
                long now = System.nanoTime();
                if (now - lastData > LINGER_IDLE_MS * 1_000_000 || now - start > LINGER_MAX_MS * 1_000_000) {
                    close();
                }
            });
            request.handler(data -> {
                lastData = System.nanoTime();
                dropped += data.length();
                if (dropped > LINGER_MAX_BYTES) {
                    close();
                }
            });
            request.endHandler(end -> close());
            request.exceptionHandler(failure -> close());
            request.resume();
        }

        private void close() {
            vertx.cancelTimer(timer);
            connection.close();
        }
    }
}
