package io.logsdistributor.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in analyzer for the demo, the tests and for operators who want to play failures. It counts
 * what it receives and can be switched at run time (POST /control?mode=...) to fail with 500, answer
 * slowly, hang, report itself unhealthy, or answer any status (mode=status&code=404) with /health UP.
 * Stopping it closes the port, so connections are refused
 * as they would be for a crashed analyzer.
 */
public final class DemoAnalyzer {

    /** How the analyzer behaves; see {@link #control}. */
    public enum Mode { NORMAL, FAIL, SLOW, HANG, UNHEALTHY, REFUSE, STATUS }

    private final Vertx vertx;
    private final String id;
    private final int requestedPort;
    private final boolean recordPacketIds;
    private final HttpServerOptions options;
    private final AtomicLong packets = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final Set<String> packetIds = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.NORMAL;
    private volatile long delayMillis;
    private volatile int status = 500;
    private volatile HttpServer server;
    private final RunTracker runs;

    public DemoAnalyzer(Vertx vertx, String id, int port, boolean recordPacketIds) {
        this(vertx, id, port, recordPacketIds, new RunTracker(), new HttpServerOptions());
    }

    /**
     * @param runs shared by the analyzers of one fleet, so that it sees runs across all of them
     * @param options server options of its own, e.g. TLS to stand in for an HTTPS analyzer
     */
    public DemoAnalyzer(Vertx vertx, String id, int port, boolean recordPacketIds, RunTracker runs,
            HttpServerOptions options) {
        this.runs = runs;
        this.vertx = vertx;
        this.id = id;
        this.requestedPort = port;
        this.recordPacketIds = recordPacketIds;
        this.options = options;
    }

    public Future<DemoAnalyzer> start() {
        int port = server != null ? server.actualPort() : requestedPort;
        return vertx.createHttpServer(options).requestHandler(this::handle).listen(port, "127.0.0.1")
                .map(s -> {
                    server = s;
                    return this;
                });
    }

    public Future<Void> stop() {
        HttpServer s = server;
        return s == null ? Future.succeededFuture() : s.close();
    }

    public String id() {
        return id;
    }

    public int port() {
        return server.actualPort();
    }

    public long packets() {
        return packets.get();
    }

    public long messages() {
        return messages.get();
    }

    /** Packet ids received (only when recording was asked for: the set grows with traffic). */
    public Set<String> packetIds() {
        return packetIds;
    }

    public Mode mode() {
        return mode;
    }

    public void control(Mode mode, long delayMillis) {
        this.delayMillis = delayMillis;
        this.mode = mode;
    }

    /** Answers every packet with this status while /health stays UP: a redeployed analyzer with a changed path. */
    public void answer(int status) {
        this.status = status;
        this.mode = Mode.STATUS;
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.equals("/ingest") && request.method() == HttpMethod.POST) {
            request.body().onSuccess(body -> ingest(request));
        } else if (path.equals("/health") && request.method() == HttpMethod.GET) {
            boolean unhealthy = mode == Mode.UNHEALTHY;
            json(request.response().setStatusCode(unhealthy ? 503 : 200),
                    "{\"status\":\"" + (unhealthy ? "DOWN" : "UP") + "\"}");
        } else if (path.equals("/stats") && request.method() == HttpMethod.GET) {
            json(request.response(), "{\"id\":\"" + id + "\",\"packets\":" + packets.get() + ",\"messages\":"
                    + messages.get() + ",\"mode\":\"" + mode.name().toLowerCase() + "\",\"delay_ms\":" + delayMillis
                    + (mode == Mode.STATUS ? ",\"code\":" + status : "")
                    + runs.json() + "}");
        } else if (path.equals("/control") && request.method() == HttpMethod.POST) {
            control(request);
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    private void ingest(HttpServerRequest request) {
        switch (mode) {
            case FAIL -> json(request.response().setStatusCode(500), "{\"error\":\"failing on purpose\"}");
            case REFUSE -> json(request.response().setStatusCode(422), "{\"error\":\"refusing on purpose\"}");
            case STATUS -> json(request.response().setStatusCode(status), "{\"error\":\"answering " + status + " on purpose\"}");
            case HANG -> {
                // never answer: the distributor's response timeout must deal with it
            }
            case SLOW -> vertx.setTimer(Math.max(1, delayMillis), t -> accept(request));
            default -> accept(request);
        }
    }

    private void accept(HttpServerRequest request) {
        String count = request.getHeader("X-Message-Count");
        packets.incrementAndGet();
        messages.addAndGet(count == null ? 0 : Long.parseLong(count));
        runs.record(id);
        if (recordPacketIds) {
            packetIds.add(String.valueOf(request.getHeader("X-Packet-Id")));
        }
        json(request.response(), "{\"status\":\"ok\"}");
    }

    private void control(HttpServerRequest request) {
        String requested = request.getParam("mode");
        Mode next;
        try {
            next = Mode.valueOf(String.valueOf(requested).toUpperCase());
        } catch (IllegalArgumentException e) {
            json(request.response().setStatusCode(400),
                    "{\"error\":\"mode must be one of normal, fail, slow, hang, unhealthy, refuse, status\"}");
            return;
        }
        if (next == Mode.STATUS) {
            int code;
            try {
                code = Integer.parseInt(request.getParam("code", ""));
            } catch (NumberFormatException e) {
                code = 0;
            }
            if (code < 200 || code > 599) {
                json(request.response().setStatusCode(400), "{\"error\":\"mode=status needs code=200..599\"}");
                return;
            }
            answer(code);
            json(request.response(), "{\"id\":\"" + id + "\",\"mode\":\"status\",\"code\":" + code + "}");
            return;
        }
        long delay;
        try {
            delay = Long.parseLong(request.getParam("delay_ms", "0"));
        } catch (NumberFormatException e) {
            json(request.response().setStatusCode(400), "{\"error\":\"delay_ms must be a whole number\"}");
            return;
        }
        control(next, delay);
        json(request.response(), "{\"id\":\"" + id + "\",\"mode\":\"" + next.name().toLowerCase() + "\",\"delay_ms\":" + delay + "}");
    }

    private static void json(HttpServerResponse response, String body) {
        response.putHeader("Content-Type", "application/json").end(body);
    }
}
