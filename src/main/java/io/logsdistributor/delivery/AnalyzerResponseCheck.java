package io.logsdistributor.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Classifies an analyzer's answer (contract §4). 408, 429 and 5xx mean the analyzer could not take the
 * packet now: they fail the attempt, so the breaker counts them and the balancer fails over. Any
 * other status passes through; the balancer tells 2xx (delivered) from other 4xx (refused).
 */
public final class AnalyzerResponseCheck implements Processor {

    @Override
    public void process(Exchange exchange) {
        int status = DeliveryOutcome.status(exchange);
        if (status == 408 || status == 429 || status >= 500) {
            throw new RetryableStatusException(status);
        }
    }
}
