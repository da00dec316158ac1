package io.logsdistributor.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds the request bodies held in memory across all connections. {@code max-body-bytes} bounds one
 * body; without a shared bound, N connections each sending most of a large body and then holding it
 * make the server buffer N bodies (600 such connections took a 512 MB heap down). Each request with a
 * body reserves its size from the budget before the body handler reads a byte of it: the
 * Content-Length, or {@code max-body-bytes} for a chunked body, whose size is unknown until it ends. A
 * request that does not fit gets 503 + Retry-After at once ({@code "overloaded"}) and its connection is
 * closed; nothing of it is buffered.
 *
 * <p>The reservation lasts until the answer is written, not only until the body is received: a
 * received body waits for a worker and is parsed, and counting it until then keeps bodies from piling
 * up behind busy workers. A connection that closes while its body is still arriving releases at once;
 * one that closes after handing its body over releases when the route answers into the void, or after
 * the request timeout at the latest, so that no path leaks budget.
 *
 * <p>Large bodies (over {@link #SMALL_BODY_BYTES}) may fill at most three quarters of the budget: a
 * flood of large bodies that stall then still leaves room for the ordinary packets of everyone else.
 */
final class BodyBudget implements Handler<RoutingContext> {

    /** Bodies up to this size may use the whole budget; larger ones only {@link #LARGE_SHARE} of it. */
    static final long SMALL_BODY_BYTES = 64 * 1024;
    static final double LARGE_SHARE = 0.75;

    private final long capacity;
    private final long largeCapacity;
    private final long maxBodyBytes;
    private final int retryAfterSeconds;
    private final long orphanTimeoutMillis;
    private final RejectionCounter ingestRejections;
    private final AtomicLong reserved = new AtomicLong();
    private final LongAdder refused = new LongAdder();

    BodyBudget(HttpServerSettings settings, RejectionCounter ingestRejections) {
        this.capacity = settings.maxInflightBodyBytes();
        this.largeCapacity = (long) (capacity * LARGE_SHARE);
        this.maxBodyBytes = settings.maxBodyBytes();
        this.retryAfterSeconds = settings.retryAfterSeconds();
        this.orphanTimeoutMillis = Math.max(1, settings.requestTimeout().toMillis());
        this.ingestRejections = ingestRejections;
    }

    /** Bytes reserved by the requests in flight now. */
    long reservedBytes() {
        return reserved.get();
    }

    long capacityBytes() {
        return capacity;
    }

    /** Requests refused because their body did not fit. */
    long refused() {
        return refused.sum();
    }

    @Override
    public void handle(RoutingContext ctx) {
        long size = declaredSize(ctx.request());
        if (size <= 0 || size > maxBodyBytes) {
            // no body, or one the body handler refuses with 413 from its Content-Length alone
            ctx.next();
            return;
        }
        if (!tryReserve(size, size > SMALL_BODY_BYTES ? largeCapacity : capacity)) {
            refused.increment();
            if (Paths.of(ctx).equals(Paths.INGEST)) {
                ingestRejections.rejected("overloaded");
            }
            EarlyAnswer.unavailable(ctx, "overloaded", retryAfterSeconds, true);
            return;
        }
        releaseWhenDone(ctx, size);
        ctx.next();
    }

    /** The Content-Length; max-body-bytes when chunked; 0 without a body; -1 when unreadable (400 follows). */
    private long declaredSize(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                return Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) ? maxBodyBytes : 0;
    }

    private boolean tryReserve(long size, long limit) {
        while (true) {
            long current = reserved.get();
            if (current + size > limit) {
                return false;
            }
            if (reserved.compareAndSet(current, current + size)) {
                return true;
            }
        }
    }

    private void releaseWhenDone(RoutingContext ctx, long size) {
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                reserved.addAndGet(-size);
            }
        };
        // the answer was written: also when the connection had closed before the route answered
        ctx.addBodyEndHandler(v -> release.run());
        ctx.addEndHandler(done -> {
            if (done.succeeded() || !ctx.request().isEnded()) {
                // answered, or closed before the whole body arrived: nobody holds it any more
                release.run();
            } else {
                // closed after the body went to a route, which may still be reading it
                Vertx vertx = ctx.vertx();
                vertx.setTimer(orphanTimeoutMillis, id -> release.run());
            }
        });
    }
}
