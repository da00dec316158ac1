package io.logsdistributor.analyzer;

import io.logsdistributor.config.Settings;
import org.apache.camel.builder.RouteBuilder;

/**
 * Creates one route per configured analyzer from the YAML template {@code analyzer}
 * (routes/analyzer.yaml): the analyzers come from analyzers.yaml, which the YAML DSL cannot iterate.
 */
public final class AnalyzerRoutes extends RouteBuilder {

    private final AnalyzerRegistry analyzers;
    private final Settings settings;

    public AnalyzerRoutes(AnalyzerRegistry analyzers, Settings settings) {
        this.analyzers = analyzers;
        this.settings = settings;
    }

    @Override
    public void configure() {
        for (AnalyzerSpec spec : analyzers.specs()) {
            templatedRoute("analyzer")
                    .routeId("analyzer-" + spec.id())
                    .parameter("analyzerId", spec.id())
                    .parameter("breaker", AnalyzerRegistry.breakerName(spec.id()))
                    .parameter("url", spec.url().toString())
                    .parameter("connectTimeout", String.valueOf(settings.connectTimeout().toMillis()))
                    .parameter("responseTimeout", String.valueOf(settings.responseTimeout().toMillis()));
        }
    }
}
