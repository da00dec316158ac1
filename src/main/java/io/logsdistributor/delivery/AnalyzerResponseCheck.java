package io.logsdistributor.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Classifies an analyzer's answer (contract §4). 2xx delivered the packet; 400 and 422 refuse this
 * packet (the analyzer works, the packet is bad): both pass, so the breaker counts a success. Any other
 * answer (3xx, 401, 403, 404, 408, 429, 5xx...) is the analyzer failing: it fails the attempt, so the
 * breaker counts it and the balancer fails over. A redeployed analyzer answering 404 to every packet
 * while its health check says UP must leave the rotation, not swallow its share into dead letters.
 */
public final class AnalyzerResponseCheck implements Processor {

    @Override
    public void process(Exchange exchange) {
        int status = DeliveryOutcome.status(exchange);
        if (!DeliveryOutcome.delivered(status) && !DeliveryOutcome.refused(status)) {
            throw new RetryableStatusException(status);
        }
    }
}
