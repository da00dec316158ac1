package io.logsdistributor.http;

import io.logsdistributor.security.ApiKeyRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x server behind platform-http, in place of camel-main's: Camel's starts one server on one
 * event loop with default options, which leaves no room for TLS from PEM files, limits on slow
 * clients, or a second event loop. This one serves the same router (the platform-http routes and
 * Camel's /observe endpoints) from several event loops sharing the port.
 *
 * <p>Ahead of every route, in this order: the slow-client guard, the {@link LifecycleGate} (503 while
 * starting and shutting down), the {@link HeadAuthentication} (401 from the request head), the
 * {@link BodyBudget} (503 when the bodies in memory would exceed the budget), then the routes with
 * their body handler. Nothing before the body handler reads a byte of the body.
 */
public final class DistributorHttpServer extends VertxPlatformHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(DistributorHttpServer.class);
    /** At shutdown, before the routes stop: how long the requests in progress may take to be answered. */
    private static final Duration SETTLE_GRACE = Duration.ofSeconds(3);
    /** At shutdown, once the port stopped accepting: how long the open connections may take to finish. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(3);
    /**
     * How long a connection that has sent nothing since its last answer (or since it was accepted) is
     * waited for at shutdown: a client that just connected is about to send its request.
     */
    private static final Duration CLOSE_IDLE_AFTER = Duration.ofSeconds(1);

    private final HttpServerSettings settings;
    private final int workers;
    private final VertxPlatformHttpServerConfiguration configuration;
    private final SlowClientGuard guard;
    private final HeadAuthentication authentication;
    private final BodyBudget budget;
    private final RejectionCounter ingestRejections;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private volatile LifecycleGate gate;
    private volatile ServerCertificates certificates;
    private volatile String deployment;
    private volatile long sweeper = -1;
    private volatile long certificateWatch = -1;

    /**
     * @param workers          Vert.x worker threads, which run the platform-http routes
     * @param keys             the API keys (off: every request passes the head check)
     * @param ingestRejections counts the /ingest requests refused before the ingest route, by reason
     */
    public DistributorHttpServer(HttpServerSettings settings, int workers, ApiKeyRegistry keys, RejectionCounter ingestRejections) {
        this(settings, workers, configuration(settings), keys, ingestRejections);
    }

    private DistributorHttpServer(HttpServerSettings settings, int workers, VertxPlatformHttpServerConfiguration configuration,
            ApiKeyRegistry keys, RejectionCounter ingestRejections) {
        super(configuration);
        this.settings = settings;
        this.workers = workers;
        this.configuration = configuration;
        this.guard = new SlowClientGuard(settings);
        this.authentication = new HeadAuthentication(keys, ingestRejections);
        this.budget = new BodyBudget(settings, ingestRejections);
        this.ingestRejections = ingestRejections;
    }

    /** platform-http's engine finds the port to serve routes on through this, bound in the registry. */
    public VertxPlatformHttpServerConfiguration configuration() {
        return configuration;
    }

    private static VertxPlatformHttpServerConfiguration configuration(HttpServerSettings settings) {
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost(settings.host());
        configuration.setBindPort(settings.port());
        configuration.setPath("/");
        configuration.setMaxBodySize(settings.maxBodyBytes());
        // the body buffer grows with what arrives, not with what the client announces
        configuration.getBodyHandler().setPreallocateBodyBuffer(false);
        return configuration;
    }

    public int openConnections() {
        return guard.openConnections();
    }

    public long closedSlowClients() {
        return guard.closedSlowClients();
    }

    public long refusedConnections() {
        return guard.refusedConnections();
    }

    /** Bytes of request bodies being received or processed now, within the budget. */
    public long inflightBodyBytes() {
        return budget.reservedBytes();
    }

    /** The server's own meters: connections, the body budget, early answers, certificate reloads. */
    public void bindMetrics(MeterRegistry meters) {
        Gauge.builder("distributor.http.connections", guard, SlowClientGuard::openConnections)
                .description("open connections on the HTTP port").register(meters);
        Gauge.builder("distributor.http.inflight.body.bytes", budget, BodyBudget::reservedBytes).baseUnit("bytes")
                .description("request bodies being received or processed (distributor.http.max-inflight-body-mib bounds it)")
                .register(meters);
        counter(meters, "distributor.http.connections.refused", guard, SlowClientGuard::refusedConnections,
                "connections closed on arrival because distributor.http.max-connections were open");
        counter(meters, "distributor.http.slow.clients.closed", guard, SlowClientGuard::closedSlowClients,
                "connections closed for taking too long to send a request or to be answered");
        FunctionCounter.builder("distributor.http.refused", authentication, HeadAuthentication::refused).tag("reason", "unauthorized")
                .description("requests answered by the server before any route: no API key, body over the budget, "
                        + "not ready or shutting down").register(meters);
        FunctionCounter.builder("distributor.http.refused", budget, BodyBudget::refused).tag("reason", "overloaded").register(meters);
        FunctionCounter.builder("distributor.http.refused", this, s -> s.gate == null ? 0 : s.gate.unreadyAnswers())
                .tag("reason", "unready").register(meters);
        if (settings.tls()) {
            counter(meters, "distributor.tls.reloads", this, s -> s.certificates == null ? 0 : s.certificates.reloads(),
                    "TLS certificates taken from changed files without a restart");
            counter(meters, "distributor.tls.reload.failures", this, s -> s.certificates == null ? 0 : s.certificates.refusedReloads(),
                    "changed TLS files refused as invalid or unreadable; the previous certificate stays in force");
        }
    }

    private static <T> void counter(MeterRegistry meters, String name, T source, ToDoubleFunction<T> value, String description) {
        FunctionCounter.builder(name, source, value).description(description).register(meters);
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        // our own Vert.x, sized for our event loops and workers, and closed by us in stopServer
        // (the base class would close the one it creates through an executor only its startServer makes)
        setVertx(Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(2, settings.eventLoops()))
                .setWorkerPoolSize(workers)));
    }

    @Override
    protected void startServer() throws Exception {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(getCamelContext(),
                VertxPlatformHttpRouter.getRouterNameFromPort(settings.port()));
        LifecycleGate lifecycle = new LifecycleGate(router, settings.retryAfterSeconds(), ingestRejections);
        LifecycleEvents events = new LifecycleEvents(lifecycle, this::settleRequestsInProgress);
        ServiceHelper.startService(events);
        getCamelContext().getManagementStrategy().addEventNotifier(events);
        gate = lifecycle;

        router.route().order(Integer.MIN_VALUE).handler(guard.requestHandler());
        router.route().order(Integer.MIN_VALUE + 1).handler(lifecycle.handler());
        router.route().order(Integer.MIN_VALUE + 2).handler(authentication);
        router.route().order(Integer.MIN_VALUE + 3).handler(budget);
        router.route().order(Integer.MIN_VALUE + 4).handler(new BodylessMethodGuard());

        HttpServerOptions options = options();
        deployment = getVertx().deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                HttpServer server = vertx.createHttpServer(options);
                servers.add(server);
                server.connectionHandler(guard.connectionHandler())
                        .requestHandler(router)
                        .listen(settings.port(), settings.host())
                        .<Void>mapEmpty()
                        .onComplete(started);
            }
        }, new DeploymentOptions().setInstances(settings.eventLoops()))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        sweeper = getVertx().setPeriodic(guard.sweepInterval().toMillis(), id -> guard.sweep());
        if (settings.tls()) {
            certificateWatch = getVertx().setPeriodic(settings.tlsReloadInterval().toMillis(), id -> reloadCertificates());
        }
        LOG.info("HTTP{} server on {}:{} with {} event loops; request bodies in memory at most {} MiB", settings.tls() ? "S" : "",
                settings.host(), settings.port(), settings.eventLoops(), budget.capacityBytes() >> 20);
    }

    /**
     * Shutdown began, and no route has stopped yet. A request still receiving its body would reach its
     * route after the route stopped, and get a 500 from Camel: it gets its 503 now (the rest of its body is
     * dropped). A request whose body has arrived is on its way into its route: the routes stop only once
     * it has been answered (within {@link #SETTLE_GRACE}).
     */
    private void settleRequestsInProgress() {
        LifecycleGate lifecycle = gate;
        List<CompletableFuture<Void>> answered = new ArrayList<>();
        for (SlowClientGuard.InProgress inProgress : guard.requestsInProgress()) {
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
                    lifecycle.refuse(ctx, "shutting_down", true);
                }
            });
        }
        try {
            CompletableFuture.allOf(answered.toArray(CompletableFuture[]::new)).get(SETTLE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.info("Requests still in progress after {} s: stopping the routes anyway", SETTLE_GRACE.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Looks at the certificate files off the event loop; new handshakes get a valid new set at once. */
    private void reloadCertificates() {
        getVertx().executeBlocking(() -> {
            certificates.reloadIfChanged();
            return null;
        }, false);
    }

    /**
     * Closes the port without leaving a request unanswered: every request from now on gets 503 at once,
     * the port stops accepting, the open connections get their answers (or, idle, are closed), and
     * only then does Vert.x close what is left.
     */
    @Override
    protected void stopServer() {
        cancelTimers();
        LifecycleGate lifecycle = gate;
        if (lifecycle != null) {
            lifecycle.closing();
        }
        if (!servers.isEmpty() && ListeningSocket.close(servers.get(0))) {
            long idleSweeper = getVertx().setPeriodic(CLOSE_IDLE_AFTER.toMillis() / 10, id -> guard.closeIdle(CLOSE_IDLE_AFTER));
            try {
                guard.whenAllClosed().get(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.info("{} connections still open after {} s: closing them", guard.openConnections(), CLOSE_GRACE.toSeconds());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                getVertx().cancelTimer(idleSweeper);
            }
        }
        String id = deployment;
        if (id != null) {
            deployment = null;
            getVertx().undeploy(id).toCompletionStage().toCompletableFuture().join();
        }
        servers.clear();
        getVertx().close().toCompletionStage().toCompletableFuture().join();
    }

    private void cancelTimers() {
        for (long timer : new long[] {sweeper, certificateWatch}) {
            if (timer >= 0) {
                getVertx().cancelTimer(timer);
            }
        }
        sweeper = -1;
        certificateWatch = -1;
    }

    private HttpServerOptions options() {
        HttpServerOptions options = new HttpServerOptions()
                .setMaxHeaderSize(settings.maxHeaderBytes())
                .setMaxInitialLineLength(Math.min(settings.maxHeaderBytes(), 4096))
                .setIdleTimeout((int) settings.idleTimeout().toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setTcpNoDelay(true)
                // h2c detection holds a new connection until its first bytes arrive, and only then calls
                // the connection handler: a client that connects and sends nothing escaped the guard
                .setHttp2ClearTextEnabled(false)
                .setCompressionSupported(false)
                .setDecompressionSupported(false);
        if (settings.tls()) {
            ServerCertificates files = new ServerCertificates(settings, getVertx());
            files.load();
            certificates = files;
            TlsPolicy.apply(options.setSsl(true).setKeyCertOptions(files.keyCertOptions()));
            if (files.trustOptions() != null) {
                options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(files.trustOptions());
            }
        }
        return options;
    }
}
