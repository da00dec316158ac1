package io.logsdistributor;

import io.logsdistributor.analyzer.Analyzer;
import io.logsdistributor.analyzer.AnalyzerRegistry;
import io.logsdistributor.analyzer.AnalyzerRoutes;
import io.logsdistributor.analyzer.AnalyzerSpec;
import io.logsdistributor.analyzer.AnalyzersReload;
import io.logsdistributor.analyzer.AnalyzersFile;
import io.logsdistributor.balance.MessageShareSelector;
import io.logsdistributor.balance.MessageWeightedBalancer;
import io.logsdistributor.config.Settings;
import io.logsdistributor.delivery.AnalyzerHeaderFilter;
import io.logsdistributor.delivery.AnalyzerResponseCheck;
import io.logsdistributor.delivery.DeadLetterRecorder;
import io.logsdistributor.delivery.DeadLetterStore;
import io.logsdistributor.delivery.ForwardRequest;
import io.logsdistributor.delivery.ShutdownDrain;
import io.logsdistributor.health.CamelHealthChecks;
import io.logsdistributor.health.HealthPoller;
import io.logsdistributor.health.HealthReport;
import io.logsdistributor.http.DistributorHttpServer;
import io.logsdistributor.http.RequestHeaderFilter;
import io.logsdistributor.ingest.AcceptedReply;
import io.logsdistributor.ingest.IngestGate;
import io.logsdistributor.queue.PacketQueue;
import io.logsdistributor.ingest.PacketValidation;
import io.logsdistributor.ingest.PacketValidator;
import io.logsdistributor.ingest.RejectionReply;
import io.logsdistributor.metrics.DistributorMetrics;
import io.logsdistributor.metrics.ExchangeEventsOff;
import io.logsdistributor.metrics.PrometheusScrape;
import io.logsdistributor.metrics.QueueMeters;
import io.logsdistributor.metrics.StatsReport;
import io.logsdistributor.queue.IntervalFsync;
import io.logsdistributor.queue.JournalStore;
import io.logsdistributor.queue.KafkaClientProperties;
import io.logsdistributor.queue.KafkaStore;
import io.logsdistributor.queue.MemoryStore;
import io.logsdistributor.queue.PacketQueue;
import io.logsdistributor.queue.QueueRelease;
import io.logsdistributor.queue.QueueSettings;
import io.logsdistributor.queue.QueueStore;
import io.logsdistributor.queue.QueueStoreHealthCheck;
import io.logsdistributor.security.AgentPolicy;
import io.logsdistributor.security.AnalyzerTls;
import io.logsdistributor.security.ApiKeyRegistry;
import io.logsdistributor.security.IngestAuthentication;
import io.logsdistributor.security.OperatorAuthentication;
import io.logsdistributor.security.RateLimiter;
import io.logsdistributor.security.SecuritySettings;
import io.logsdistributor.status.StatusPage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Builds the distributor's Java parts from its settings and analyzers.yaml and binds them under the
 * names the YAML routes refer to. Everything is validated here, before any route starts.
 */
public final class DistributorConfiguration implements CamelConfiguration {

    private static final String METRICS_REGISTRY = "metricsRegistry";

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Settings settings = Settings.load(key -> properties.resolveProperty(key).orElse(null));
        String analyzersText = AnalyzersFile.read(settings.analyzersFile());
        List<AnalyzerSpec> specs = AnalyzersFile.parse(analyzersText, settings.analyzersFile().toString());

        AnalyzerRegistry analyzers = new AnalyzerRegistry(specs, settings);
        PrometheusMeterRegistry meters = meterRegistry(context);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        QueueSettings queueSettings = settings.queue();
        IntervalFsync fsyncs = new IntervalFsync(queueSettings.fsync(), queueSettings.fsyncInterval());
        DeadLetterStore store = new DeadLetterStore(settings.dataDir(), Clock.systemUTC(), fsyncs);
        QueueMeters queueMeters = new QueueMeters(meters);
        // the journal is loaded here, before any route starts: nothing is accepted until it is
        QueueStore queueStore = switch (queueSettings.store()) {
            case DISK -> JournalStore.open(queueSettings, queueMeters, fsyncs);
            case MEMORY -> new MemoryStore();
            case KAFKA -> new KafkaStore(queueSettings.kafka(), queueMeters);
        };
        PacketQueue queue = new PacketQueue(queueSettings.capacity(), queueSettings.maxBytes(), queueStore);
        queue.recover(context);
        if (queueStore instanceof KafkaStore kafka) {
            // connects once camel-main has applied camel.component.kafka.* (TLS, SASL) to the component
            // (the listener hears routes added later too, by an analyzers reload: those starts are not ours)
            context.addStartupListener((started, alreadyStarted) -> {
                if (!alreadyStarted) {
                    kafka.start(started, queue, KafkaClientProperties.of(started,
                            started.getComponent("kafka", KafkaComponent.class).getConfiguration(), queueSettings.kafka()));
                }
            });
        }
        queueMeters.bind(queue);
        DistributorMetrics metrics = new DistributorMetrics(meters, analyzers, queue);
        DeadLetterRecorder deadLetters = new DeadLetterRecorder(store, metrics, queue);
        MessageShareSelector<Analyzer> selector = new MessageShareSelector<>(analyzers.current(), settings.queueConsumers(),
                settings.slowStart(), System::nanoTime);

        Registry registry = context.getRegistry();
        registry.bind("settings", settings);
        ApiKeyRegistry keys = settings.security().apiKeysFile() == null
                ? ApiKeyRegistry.disabled() : ApiKeyRegistry.load(settings.security().apiKeysFile());
        DistributorHttpServer server = new DistributorHttpServer(settings.http(), settings.httpWorkers(), keys, metrics::rejected);
        server.bindMetrics(meters);
        registry.bind("httpServer", server);
        registry.bind("requestHeaderFilter", new RequestHeaderFilter());
        registry.bind("httpServerConfiguration", server.configuration());
        context.addService(server);
        registry.bind("analyzerRegistry", analyzers);
        registry.bind("distributorMetrics", metrics);
        registry.bind("packetQueue", queue);
        registry.bind("queueRelease", new QueueRelease(queue));
        registry.bind("queueStoreHealthCheck", new QueueStoreHealthCheck(queueStore));

        registry.bind("ingestGate", new IngestGate(analyzers, settings.retryAfterSeconds()));
        registry.bind("packetValidation", new PacketValidation(
                new PacketValidator(settings.maxMessagesPerPacket(), settings.maxJsonDepth(), settings.maxMessageChars())));
        registry.bind("acceptedReply", new AcceptedReply(metrics));
        registry.bind("rejectionReply", new RejectionReply(metrics, settings.retryAfterSeconds()));

        registry.bind("messageWeightedBalancer", new MessageWeightedBalancer(analyzers, selector,
                metrics, settings.maxAttempts(), settings.backoffInitial(), settings.backoffMax(), settings.unavailableWait(),
                queueStore.durable()));
        registry.bind("deadLetterRecorder", deadLetters);
        registry.bind("forwardRequest", new ForwardRequest());
        registry.bind("analyzerHeaderFilter", new AnalyzerHeaderFilter());
        registry.bind("analyzerResponseCheck", new AnalyzerResponseCheck());
        for (Analyzer analyzer : analyzers.current()) {
            registry.bind(AnalyzerRegistry.breakerName(analyzer.key()), analyzer.breaker());
        }
        AnalyzerRoutes analyzerRoutes = new AnalyzerRoutes(analyzers, settings);
        registry.bind("analyzerRoutes", analyzerRoutes);
        AnalyzersReload reload = new AnalyzersReload(settings.analyzersFile(), AnalyzersReload.hash(analyzersText), analyzers,
                selector, analyzerRoutes, metrics, context, Clock.systemUTC());
        registry.bind("analyzersReload", reload);

        SSLContext analyzerTls = bindSecurity(context, settings.security(), keys, meters);

        registry.bind("healthPoller", new HealthPoller(analyzers, settings.healthTimeout(), analyzerTls));
        registry.bind("healthReport", new HealthReport(analyzers, queue));
        CamelHealthChecks camelHealth = new CamelHealthChecks();
        registry.bind("camelHealth", camelHealth.all());
        registry.bind("camelLiveness", camelHealth.liveness());
        registry.bind("camelReadiness", camelHealth.readiness());
        registry.bind("statsReport", new StatsReport(selector, metrics, queue, queueMeters, reload));
        registry.bind("prometheusScrape", new PrometheusScrape(meters));
        registry.bind("statusPage", new StatusPage());

        context.getManagementStrategy().addEventNotifier(new ShutdownDrain(analyzers, queue, deadLetters, fsyncs));
        context.getManagementStrategy().addEventNotifier(new ExchangeEventsOff());
    }

    /** Binds the API key and agent policy steps; returns the TLS context for https:// analyzers, or null. */
    private static SSLContext bindSecurity(CamelContext context, SecuritySettings security, ApiKeyRegistry keys,
            MeterRegistry meters) throws Exception {
        Gauge.builder("distributor.api.keys", keys, ApiKeyRegistry::size)
                .description("API keys in force (0: keys are off)").register(meters);
        FunctionCounter.builder("distributor.api.keys.reload.failures", keys, ApiKeyRegistry::refusedReloads)
                .description("changed API keys files refused as invalid; the previous keys stay in force").register(meters);
        Registry registry = context.getRegistry();
        registry.bind("apiKeys", keys);
        registry.bind("ingestAuthentication", new IngestAuthentication(keys));
        registry.bind("operatorAuthentication", new OperatorAuthentication(keys));
        registry.bind("agentPolicy", new AgentPolicy(security.bindAgent(), security.defaultRate(),
                new RateLimiter(security.maxTrackedAgents(), System::nanoTime)));
        SSLContextParameters analyzerTls = AnalyzerTls.parameters(security);
        if (analyzerTls == null) {
            return null;
        }
        context.getComponent("https", HttpComponent.class).setSslContextParameters(analyzerTls);
        return analyzerTls.createSSLContext(context);
    }

    /**
     * The one registry for our meters, Camel's and the JVM's, so that /metrics shows all of them.
     * camel-micrometer-prometheus looks it up under this name, or binds its own there if it starts first.
     */
    private static PrometheusMeterRegistry meterRegistry(CamelContext context) {
        PrometheusMeterRegistry existing = context.getRegistry().lookupByNameAndType(METRICS_REGISTRY,
                PrometheusMeterRegistry.class);
        if (existing != null) {
            return existing;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        context.getRegistry().bind(METRICS_REGISTRY, created);
        return created;
    }
}
