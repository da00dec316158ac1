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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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

    private final HttpServerSettings settings;
    private final int workers;
    private final VertxPlatformHttpServerConfiguration configuration;
    private final SlowClientGuard guard;
    private final HeadAuthentication authentication;
    private final BodyBudget budget;
    private final ClientGone clientGone = new ClientGone();
    private final RejectionCounter ingestRejections;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private volatile LifecycleGate gate;
    private volatile PortShutdown shutdown;
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
        counter(meters, "distributor.http.clients.gone", clientGone, ClientGone::count,
                "requests whose client closed the connection before they were answered");
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
        PortShutdown closing = new PortShutdown(guard, lifecycle, getVertx());
        LifecycleEvents events = new LifecycleEvents(lifecycle, closing::settleRequestsInProgress);
        ServiceHelper.startService(events);
        getCamelContext().getManagementStrategy().addEventNotifier(events);
        gate = lifecycle;
        shutdown = closing;

        router.route().order(Integer.MIN_VALUE).handler(guard.requestHandler()).failureHandler(clientGone);
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

    /** Looks at the certificate files off the event loop; new handshakes get a valid new set at once. */
    private void reloadCertificates() {
        getVertx().executeBlocking(() -> {
            certificates.reloadIfChanged();
            return null;
        }, false);
    }

    /** Closes the port without leaving a request unanswered ({@link PortShutdown}), then Vert.x. */
    @Override
    protected void stopServer() {
        cancelTimers();
        PortShutdown closing = shutdown;
        if (closing != null) {
            closing.closePort(servers);
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
