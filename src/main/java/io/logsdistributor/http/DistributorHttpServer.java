package io.logsdistributor.http;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x server behind platform-http, in place of camel-main's: Camel's starts one server on one
 * event loop with default options, which leaves no room for TLS from PEM files, limits on slow
 * clients, or a second event loop. This one serves the same router (the platform-http routes and
 * Camel's /observe endpoints) from several event loops sharing the port.
 */
public final class DistributorHttpServer extends VertxPlatformHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(DistributorHttpServer.class);

    private final HttpServerSettings settings;
    private final int workers;
    private final VertxPlatformHttpServerConfiguration configuration;
    private volatile String deployment;
    private volatile SlowClientGuard guard;
    private volatile long sweeper = -1;

    /** @param workers Vert.x worker threads, which run the platform-http routes */
    public DistributorHttpServer(HttpServerSettings settings, int workers) {
        this(settings, workers, configuration(settings));
    }

    private DistributorHttpServer(HttpServerSettings settings, int workers, VertxPlatformHttpServerConfiguration configuration) {
        super(configuration);
        this.settings = settings;
        this.workers = workers;
        this.configuration = configuration;
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
        return configuration;
    }

    public int openConnections() {
        return guard == null ? 0 : guard.openConnections();
    }

    public long closedSlowClients() {
        return guard == null ? 0 : guard.closedSlowClients();
    }

    public long refusedConnections() {
        return guard == null ? 0 : guard.refusedConnections();
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
        SlowClientGuard slowClients = new SlowClientGuard(settings);
        router.route().order(Integer.MIN_VALUE).handler(slowClients.requestHandler());
        router.route().order(Integer.MIN_VALUE + 1).handler(new BodylessMethodGuard());
        HttpServerOptions options = options();
        deployment = getVertx().deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                vertx.createHttpServer(options)
                        .connectionHandler(slowClients.connectionHandler())
                        .requestHandler(router)
                        .listen(settings.port(), settings.host())
                        .<Void>mapEmpty()
                        .onComplete(started);
            }
        }, new DeploymentOptions().setInstances(settings.eventLoops()))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        guard = slowClients;
        sweeper = getVertx().setPeriodic(slowClients.sweepInterval().toMillis(), id -> slowClients.sweep());
        LOG.info("HTTP{} server on {}:{} with {} event loops", settings.tls() ? "S" : "", settings.host(), settings.port(),
                settings.eventLoops());
    }

    @Override
    protected void stopServer() {
        if (sweeper >= 0) {
            getVertx().cancelTimer(sweeper);
            sweeper = -1;
        }
        String id = deployment;
        if (id != null) {
            deployment = null;
            getVertx().undeploy(id).toCompletionStage().toCompletableFuture().join();
        }
        getVertx().close().toCompletionStage().toCompletableFuture().join();
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
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(settings.tlsCertFile().toString())
                    .setKeyPath(settings.tlsKeyFile().toString()));
            if (settings.tlsClientCaFile() != null) {
                options.setClientAuth(ClientAuth.REQUIRED)
                        .setTrustOptions(new PemTrustOptions().addCertPath(settings.tlsClientCaFile().toString()));
            }
        }
        return options;
    }
}
