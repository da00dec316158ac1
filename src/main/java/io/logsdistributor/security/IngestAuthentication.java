package io.logsdistributor.security;

import io.logsdistributor.ingest.IngestRejection;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * First step of /ingest when API keys are on: a request without one of our keys is refused with 401
 * before anything else about it is looked at or answered. The key found travels with the exchange
 * for the agent binding and the rate limit.
 */
public final class IngestAuthentication implements Processor {

    static final String API_KEY = "distributor.apiKey";

    private final ApiKeyRegistry keys;

    public IngestAuthentication(ApiKeyRegistry keys) {
        this.keys = keys;
    }

    @Override
    public void process(Exchange exchange) {
        if (!keys.enabled()) {
            return;
        }
        ApiKey key = keys.authenticate(exchange.getMessage());
        if (key == null) {
            throw new IngestRejection(401, "unauthorized", null, 0);
        }
        exchange.setProperty(API_KEY, key);
    }
}
