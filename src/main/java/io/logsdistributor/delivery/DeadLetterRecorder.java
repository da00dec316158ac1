package io.logsdistributor.delivery;

import io.logsdistributor.balance.MessageWeightedBalancer;
import io.logsdistributor.metrics.DistributorMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the dead letter the balancer left on the exchange to the store, counts and logs it. */
public final class DeadLetterRecorder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRecorder.class);

    private final DeadLetterStore store;
    private final DistributorMetrics metrics;

    public DeadLetterRecorder(DeadLetterStore store, DistributorMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        DeadLetter letter = exchange.getProperty(MessageWeightedBalancer.DEAD_LETTER, DeadLetter.class);
        record(letter);
    }

    public void record(DeadLetter letter) {
        store.store(letter);
        metrics.deadLettered(letter.reason());
        LOG.warn("Packet {} from {} ({} messages) dead-lettered after {} attempts: {} ({})", letter.packet().packetId(),
                letter.packet().agentId(), letter.packet().messageCount(), letter.attempts(), letter.reason(), letter.detail());
    }
}
