package io.logsdistributor.loadgen;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
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
    private final LoadReport report;
    private final HttpClient client;
    private final RequestOptions request;
    private final Context[] contexts;
    /** This phase: warm-up (not measured) or measurement, limited by packets or seconds (whichever > 0). */
    private final boolean measuredPhase;
    private final long limitPackets;
    private final double limitSeconds;
    private final AtomicLong sequence;
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong inflight = new AtomicLong();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile boolean issuingDone;
    private long t0;

    private LoadGenerator(LoadOptions options, BodyPool pool, LoadReport report, HttpClient client,
            RequestOptions request, Context[] contexts, boolean measuredPhase, long limitPackets, double limitSeconds,
            AtomicLong sequence) {
        this.options = options;
        this.pool = pool;
        this.report = report;
        this.client = client;
        this.request = request;
        this.contexts = contexts;
        this.measuredPhase = measuredPhase;
        this.limitPackets = limitPackets;
        this.limitSeconds = limitSeconds;
        this.sequence = sequence;
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

    /**
     * Runs the load described by {@code options} and returns what it saw: the warm-up phase first (all of it
     * answered before measuring starts, then the {@code --after-warmup} command if any), then the measured phase.
     */
    public static LoadReport execute(LoadOptions options, boolean progress) throws InterruptedException {
        BodyPool pool = BodyPool.build(options.poolSize(), options.mix(), options.messageBytes(), options.agents(),
                options.seed());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.eventLoops()).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        try {
            boolean https = "https".equalsIgnoreCase(options.url().getScheme());
            int port = options.url().getPort() > 0 ? options.url().getPort() : https ? 443 : 80;
            String path = options.url().getRawPath() == null || options.url().getRawPath().isEmpty() ? "/"
                    : options.url().getRawPath() + (options.url().getRawQuery() == null ? "" : "?" + options.url().getRawQuery());
            HttpClient client = vertx.createHttpClient(new HttpClientOptions()
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
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
                    .setIdleTimeout((long) (options.timeoutSeconds() * 1000))
                    .putHeader("Content-Type", "application/json");
            for (String[] h : options.headers()) {
                request.addHeader(h[0], h[1]);
            }
            Context[] contexts = new Context[options.eventLoops()];
            for (int i = 0; i < contexts.length; i++) {
                contexts[i] = vertx.getOrCreateContext(); // outside Vert.x: a new context on the next event loop
            }
            LoadReport report = new LoadReport();
            AtomicLong sequence = new AtomicLong();
            long progressTimer = progress ? vertx.setPeriodic(5000, id -> System.err.printf(
                    "loadgen: %d packets sent, %d measured answers%n", sequence.get(), report.packetsCompleted())) : -1;
            if (options.warmupPackets() > 0 || options.warmupSeconds() > 0) {
                new LoadGenerator(options, pool, report, client, request, contexts, false, options.warmupPackets(),
                        options.warmupSeconds(), sequence).runPhase();
                if (options.afterWarmup() != null) {
                    afterWarmup(options.afterWarmup());
                }
            }
            new LoadGenerator(options, pool, report, client, request, contexts, true, Math.max(0, options.packets()),
                    Math.max(0, options.durationSeconds()), sequence).runPhase();
            if (progressTimer >= 0) {
                vertx.cancelTimer(progressTimer);
            }
            client.close().toCompletionStage().toCompletableFuture().join();
            report.finish(pool.meanBytes());
            return report;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static void afterWarmup(String command) throws InterruptedException {
        try {
            int exit = new ProcessBuilder("sh", "-c", command).inheritIO().redirectOutput(ProcessBuilder.Redirect.appendTo(
                    new java.io.File("/dev/stderr"))).start().waitFor();
            if (exit != 0) {
                System.err.println("loadgen: --after-warmup command exited with " + exit + "; measuring anyway");
            }
        } catch (java.io.IOException e) {
            System.err.println("loadgen: --after-warmup command failed to start: " + e.getMessage());
        }
    }

    private void runPhase() throws InterruptedException {
        t0 = System.nanoTime();
        if (options.rateLimited()) {
            openLoop();
        } else {
            closedLoop();
        }
        // every request has a response timeout, so this ends; the bound is only a last resort
        long limit = (long) (options.timeoutSeconds() * 2 + 60);
        try {
            finished.get(limit, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            System.err.println("loadgen: gave up waiting for " + inflight.get() + " requests in flight");
            issuingDone = true;
        }
    }

    /** As fast as possible: one lane per connection, each sending its next packet when the last is answered. */
    private void closedLoop() {
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
    private void openLoop() throws InterruptedException {
        double interval = 1e9 / options.rate();
        // bounds memory if the server stalls; the latency of the wait is still counted from the due time
        Semaphore outstanding = new Semaphore(Math.max(10_000, options.connections() * 64));
        for (long i = 0; ; i++) {
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
            // counted here, not on the event loop, so the end of the phase cannot be declared before it is sent
            inflight.incrementAndGet();
            contexts[(int) (seq % contexts.length)].runOnContext(v -> send(seq, due).onComplete(ar -> outstanding.release()));
        }
        doneIssuing();
    }

    /** The next sequence number to send at {@code now}, or -1 when the phase is over. */
    private long next(long now) {
        if (issuingDone) {
            return -1;
        }
        long n = issued.getAndIncrement();
        if (limitSeconds > 0 ? now - t0 >= (long) (limitSeconds * 1e9) : n >= limitPackets) {
            return -1;
        }
        return sequence.getAndIncrement();
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
        boolean measured = measuredPhase;
        Buffer body = Buffer.buffer(pool.body(index, seq));
        report.sent(measured, messages, start);
        return client.request(request)
                .compose(req -> {
                    if (options.forwardHeaders()) {
                        req.putHeader("X-Packet-Id", pool.packetId(seq));
                        req.putHeader("X-Agent-Id", pool.agentId(index));
                        req.putHeader("X-Message-Count", Integer.toString(messages));
                    }
                    return req.send(body);
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
}
