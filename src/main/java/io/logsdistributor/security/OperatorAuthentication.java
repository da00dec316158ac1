package io.logsdistributor.security;

import io.logsdistributor.http.Reply;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * First step of /stats and the metrics when API keys are on: without a key the route stops here with
 * 401, with an agent's key with 403 (these endpoints list the analyzers' internal URLs; an agent has
 * no business reading them). Not an ingest rejection: these requests carry no packet and must not
 * count as rejected ones.
 */
public final class OperatorAuthentication implements Processor {

    private static final String FORBIDDEN =
            "{\"error\":\"forbidden\",\"detail\":\"this endpoint needs an operator key (role: operator); an agent key only sends packets\"}";

    private final ApiKeyRegistry keys;

    public OperatorAuthentication(ApiKeyRegistry keys) {
        this.keys = keys;
    }

    @Override
    public void process(Exchange exchange) {
        if (!keys.enabled()) {
            return;
        }
        ApiKey key = keys.authenticate(exchange.getMessage());
        if (key != null && key.operator()) {
            return;
        }
        if (key == null) {
            Reply.with(exchange, 401, Reply.JSON, "{\"error\":\"unauthorized\"}").setHeader("WWW-Authenticate", "Bearer");
        } else {
            Reply.with(exchange, 403, Reply.JSON, FORBIDDEN);
        }
        exchange.setRouteStop(true);
    }
}
