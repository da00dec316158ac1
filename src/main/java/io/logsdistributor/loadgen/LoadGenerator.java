package io.logsdistributor.loadgen;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code loadgen}: posts pre-built packets to an ingest URL over N keep-alive HTTP/1.1 connections (Vert.x
 * client, no pipelining) and reports throughput, status codes and latency percentiles.
 *
 * <p>Two modes. Without {@code --rate} it is a closed loop: each connection keeps one request in flight and
 * sends the next as soon as the answer arrives; latency is measured from the actual send. With {@code --rate}
 * it is an open loop: packet i is due at {@code start + i / rate} whatever the server does, and its latency
 * is measured from that intended time, so a server that stalls cannot hide the wait of the packets queued
 * behind the stall (coordinated omission).
 */
public final class LoadGenerator {

    private final LoadOptions options;
    private final BodyPool pool;
    private final LoadReport report = new LoadReport();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong measuredIssued = new AtomicLong();
    private final AtomicLong inflight = new AtomicLong();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final AtomicLong measureStart = new AtomicLong(-1);
    private volatile boolean issuingDone;
    private volatile boolean stopped;
    private long t0;
    private HttpClient client;
    private RequestOptions request;

    private LoadGenerator(LoadOptions options, BodyPool pool) {
        this.options = options;
        this.pool = pool;
    }

    /** {@code loadgen [options]}: runs, prints the summary; exits 64 on a bad option, 1 if nothing was accepted. */
    public static void run(String[] args) throws InterruptedException {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(LoadOptions.USAGE);
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("loadgen: " + e.getMessage() + "\n" + LoadOptions.USAGE);
            System.exit(64);
            return;
        }
        LoadReport report = execute(options, true);
        System.out.print(options.json() ? report.toJson(options) + "\n" : report.toText(options));
        System.out.flush();
        if (report.packetsAccepted() == 0) {
            System.exit(1);
        }
    }

    /** Runs the load described by {@code options} and returns what it saw. */
    public static LoadReport execute(LoadOptions options, boolean progress) throws InterruptedException {
        BodyPool pool = BodyPool.build(options.poolSize(), options.mix(), options.messageBytes(), options.agents(),
                options.seed());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.eventLoops()).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        try {
            return new LoadGenerator(options, pool).execute(vertx, progress);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private LoadReport execute(Vertx vertx, boolean progress) throws InterruptedException {
        boolean https = "https".equalsIgnoreCase(options.url().getScheme());
        int port = options.url().getPort() > 0 ? options.url().getPort() : https ? 443 : 80;
        String path = options.url().getRawPath() == null || options.url().getRawPath().isEmpty() ? "/"
                : options.url().getRawPath() + (options.url().getRawQuery() == null ? "" : "?" + options.url().getRawQuery());
        client = vertx.createHttpClient(new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_1_1)
                        .setKeepAlive(true)
                        .setPipelining(false)
                        .setTcpNoDelay(true)
                        .setTryUseCompression(false)
                        .setSsl(https)
                        .setConnectTimeout(5000)
                        .setDefaultHost(options.url().getHost())
                        .setDefaultPort(port),
                new PoolOptions().setHttp1MaxSize(options.connections()).setMaxWaitQueueSize(-1));
        request = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
                .setIdleTimeout((long) (options.timeoutSeconds() * 1000))
                .putHeader("Content-Type", "application/json");
        for (String[] h : options.headers()) {
            request.addHeader(h[0], h[1]);
        }
        int loops = options.eventLoops();
        Context[] contexts = new Context[loops];
        for (int i = 0; i < loops; i++) {
            contexts[i] = vertx.getOrCreateContext(); // outside Vert.x: a new context, next event loop
        }
        long progressTimer = progress ? vertx.setPeriodic(5000, id -> System.err.printf(
                "loadgen: %d sent, %d in flight, %d measured answers%n", sequence.get(), inflight.get(),
                report.packetsCompleted())) : -1;
        t0 = System.nanoTime();
        if (options.rateLimited()) {
            openLoop(contexts);
        } else {
            closedLoop(contexts);
        }
        // every request has a response timeout, so this ends; the bound is only a last resort
        long limitSeconds = (long) (options.timeoutSeconds() * 2 + 60);
        try {
            finished.get(limitSeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            System.err.println("loadgen: gave up waiting for " + inflight.get() + " requests in flight");
        }
        stopped = true;
        if (progressTimer >= 0) {
            vertx.cancelTimer(progressTimer);
        }
        client.close().toCompletionStage().toCompletableFuture().join();
        report.finish(pool.meanBytes());
        return report;
    }

    /** As fast as possible: one lane per connection, each sending its next packet when the last is answered. */
    private void closedLoop(Context[] contexts) {
        AtomicInteger lanes = new AtomicInteger(options.connections());
        for (int i = 0; i < options.connections(); i++) {
            contexts[i % contexts.length].runOnContext(v -> lane(lanes));
        }
    }

    private void lane(AtomicInteger lanes) {
        long now = System.nanoTime();
        long seq = next(now);
        if (seq < 0) {
            if (lanes.decrementAndGet() == 0) {
                doneIssuing();
            }
            return;
        }
        inflight.incrementAndGet();
        send(seq, now).onComplete(ar -> lane(lanes));
    }

    /** At a fixed rate: packet i is due at t0 + i/rate; overdue packets go at once, stamped with their due time. */
    private void openLoop(Context[] contexts) throws InterruptedException {
        double interval = 1e9 / options.rate();
        // bounds memory if the server stalls; the latency of the wait is still counted from the due time
        Semaphore outstanding = new Semaphore(Math.max(10_000, options.connections() * 64));
        for (long i = 0; !stopped; i++) {
            long due = t0 + (long) (i * interval);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long seq = next(due);
            if (seq < 0) {
                break;
            }
            outstanding.acquire();
            // counted here, not on the event loop, so the end of the run cannot be declared before it is sent
            inflight.incrementAndGet();
            contexts[(int) (seq % contexts.length)].runOnContext(v -> send(seq, due).onComplete(ar -> outstanding.release()));
        }
        doneIssuing();
    }

    /** The next sequence number to send at {@code now}, or -1 when the run is over. */
    private long next(long now) {
        if (issuingDone || stopped) {
            return -1;
        }
        long seq = sequence.getAndIncrement();
        if (!measured(seq, now)) {
            return seq;
        }
        long m = measuredIssued.getAndIncrement();
        if (options.byDuration()) {
            measureStart.compareAndSet(-1, now);
            if (now - measureStart.get() >= (long) (options.durationSeconds() * 1e9)) {
                return -1;
            }
        } else if (m >= options.packets()) {
            return -1;
        }
        return seq;
    }

    private boolean measured(long seq, long when) {
        if (options.warmupPackets() > 0) {
            return seq >= options.warmupPackets();
        }
        return options.warmupSeconds() <= 0 || when - t0 >= (long) (options.warmupSeconds() * 1e9);
    }

    private void doneIssuing() {
        issuingDone = true;
        if (inflight.get() == 0) {
            finished.complete(null);
        }
    }

    /**
     * Sends packet {@code seq}, already counted in {@link #inflight}; {@code start} is when it was sent or due.
     * Completes when answered or failed.
     */
    private Future<Integer> send(long seq, long start) {
        int index = (int) (seq % pool.size());
        int messages = pool.messageCount(index);
        boolean measured = measured(seq, start);
        Buffer body = Buffer.buffer(pool.body(index, seq));
        report.sent(measured, messages, start);
        return client.request(request)
                .compose(req -> {
                    if (options.forwardHeaders()) {
                        req.putHeader("X-Packet-Id", pool.packetId(seq));
                        req.putHeader("X-Agent-Id", pool.agentId(index));
                        req.putHeader("X-Message-Count", Integer.toString(messages));
                    }
                    return send(req, body);
                })
                .compose(resp -> resp.end().map(v -> resp.statusCode()))
                .onComplete(ar -> {
                    long end = System.nanoTime();
                    if (ar.succeeded()) {
                        report.response(measured, messages, ar.result(), start, end);
                    } else {
                        report.error(measured, ar.cause(), end);
                    }
                    if (inflight.decrementAndGet() == 0 && issuingDone) {
                        finished.complete(null);
                    }
                });
    }

    private static Future<io.vertx.core.http.HttpClientResponse> send(HttpClientRequest req, Buffer body) {
        return req.send(body);
    }
}
