package io.logsdistributor.analyzer;

import io.logsdistributor.config.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.TemplatedRouteDefinition;

/**
 * Creates one route per configured analyzer from the YAML template {@code analyzer}
 * (routes/analyzer.yaml): the analyzers come from analyzers.yaml, which the YAML DSL cannot iterate.
 * A reload adds and removes such routes while the distributor runs.
 */
public final class AnalyzerRoutes extends RouteBuilder {

    private final AnalyzerRegistry analyzers;
    private final Settings settings;

    public AnalyzerRoutes(AnalyzerRegistry analyzers, Settings settings) {
        this.analyzers = analyzers;
        this.settings = settings;
    }

    /** The id of an analyzer's route; its endpoint is {@code direct:<route id>}. */
    public static String routeId(Analyzer analyzer) {
        return "analyzer-" + analyzer.key();
    }

    @Override
    public void configure() {
        for (Analyzer analyzer : analyzers.current()) {
            TemplatedRouteDefinition route = templatedRoute("analyzer").routeId(routeId(analyzer));
            parameters(analyzer).forEach((name, value) -> route.parameter(name, String.valueOf(value)));
        }
    }

    /** Adds the route of an analyzer a reload brought in; its breaker must be bound already. */
    public void add(CamelContext context, Analyzer analyzer) throws Exception {
        TemplatedRouteBuilder.builder(context, "analyzer").routeId(routeId(analyzer)).parameters(parameters(analyzer)).add();
    }

    private Map<String, Object> parameters(Analyzer analyzer) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("analyzerKey", analyzer.key());
        parameters.put("breaker", AnalyzerRegistry.breakerName(analyzer.key()));
        parameters.put("url", analyzer.spec().url().toString());
        parameters.put("connectTimeout", String.valueOf(settings.connectTimeout().toMillis()));
        parameters.put("responseTimeout", String.valueOf(settings.responseTimeout().toMillis()));
        return parameters;
    }

    /** Removes the route of an analyzer a reload dropped, once nothing is in flight on it. */
    public void remove(CamelContext context, Analyzer analyzer) throws Exception {
        context.getRouteController().stopRoute(routeId(analyzer));
        context.removeRoute(routeId(analyzer));
    }
}
