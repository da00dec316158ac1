package io.logsdistributor.security;

import io.logsdistributor.http.Reply;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * First step of /stats and /metrics when API keys are on: without a key the route stops here with
 * 401. Not an ingest rejection: these requests carry no packet and must not count as rejected ones.
 */
public final class OperatorAuthentication implements Processor {

    private final ApiKeyRegistry keys;

    public OperatorAuthentication(ApiKeyRegistry keys) {
        this.keys = keys;
    }

    @Override
    public void process(Exchange exchange) {
        if (!keys.enabled() || keys.authenticate(exchange.getMessage()) != null) {
            return;
        }
        Reply.with(exchange, 401, Reply.JSON, "{\"error\":\"unauthorized\"}").setHeader("WWW-Authenticate", "Bearer");
        exchange.setRouteStop(true);
    }
}
