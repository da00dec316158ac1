package io.logsdistributor.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/** Answers GET /metrics with the Prometheus text format of every meter: ours, Camel's and the JVM's. */
public final class PrometheusScrape implements Processor {

    private final PrometheusMeterRegistry registry;

    public PrometheusScrape(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        message.setBody(registry.scrape());
    }
}
