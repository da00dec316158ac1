package io.logsdistributor.metrics;

import io.logsdistributor.http.Reply;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Answers GET /metrics with the Prometheus text format of every meter: ours, Camel's and the JVM's. */
public final class PrometheusScrape implements Processor {

    private final PrometheusMeterRegistry registry;

    public PrometheusScrape(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void process(Exchange exchange) {
        Reply.with(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }
}
