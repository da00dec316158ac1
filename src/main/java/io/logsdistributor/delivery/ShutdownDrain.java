package io.logsdistributor.delivery;

import io.logsdistributor.analyzer.AnalyzerRegistry;
import io.logsdistributor.ingest.Packet;
import io.logsdistributor.ingest.PacketQueue;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful shutdown around Camel's own drain of the SEDA queue. When the context starts stopping,
 * ingest starts answering 503 and deliveries stop waiting for analyzers to come back. When it has
 * stopped, anything the drain timeout left in the queue is written to the dead-letter store: packets
 * that were accepted are never lost with the process.
 */
public final class ShutdownDrain extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownDrain.class);

    private final AnalyzerRegistry analyzers;
    private final PacketQueue queue;
    private final DeadLetterRecorder deadLetters;

    public ShutdownDrain(AnalyzerRegistry analyzers, PacketQueue queue, DeadLetterRecorder deadLetters) {
        this.analyzers = analyzers;
        this.queue = queue;
        this.deadLetters = deadLetters;
        // only the context's own events matter here (see ExchangeEventsOff)
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent || event instanceof CamelEvent.CamelContextStoppedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.CamelContextStoppingEvent) {
            LOG.info("Shutting down: refusing new packets, delivering the {} queued", queue.size());
            analyzers.startDraining();
        } else {
            salvageQueue();
        }
    }

    private void salvageQueue() {
        List<Exchange> left = new ArrayList<>();
        queue.drainTo(left);
        for (Exchange exchange : left) {
            Packet packet = exchange.getMessage().getBody(Packet.class);
            deadLetters.record(new DeadLetter(packet, "shutdown_timeout",
                    "still queued when the shutdown timeout ended the drain", null, 0));
        }
        if (!left.isEmpty()) {
            LOG.warn("{} queued packets were not delivered before the shutdown timeout and went to the dead-letter store",
                    left.size());
        }
    }
}
