package io.logsdistributor.delivery;

import io.logsdistributor.analyzer.AnalyzerRegistry;
import io.logsdistributor.ingest.Packet;
import io.logsdistributor.queue.IntervalFsync;
import io.logsdistributor.queue.PacketQueue;
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
 * that were accepted are never lost with the process. With the queue on disk they simply stay in the
 * journal for the next start.
 */
public final class ShutdownDrain extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownDrain.class);

    private final AnalyzerRegistry analyzers;
    private final PacketQueue queue;
    private final DeadLetterRecorder deadLetters;
    private final IntervalFsync fsyncs;

    public ShutdownDrain(AnalyzerRegistry analyzers, PacketQueue queue, DeadLetterRecorder deadLetters, IntervalFsync fsyncs) {
        this.analyzers = analyzers;
        this.queue = queue;
        this.deadLetters = deadLetters;
        this.fsyncs = fsyncs;
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
            // a shared topic keeps what this replica has not taken yet for the others
            queue.store().stopIntake();
        } else {
            salvageQueue();
            // last: what the journal and the dead-letter file hold reaches the disk, and the journal is closed
            fsyncs.close();
            queue.store().close();
        }
    }

    private void salvageQueue() {
        if (queue.store().durable()) {
            if (queue.packets() > 0) {
                LOG.info("{} packets not delivered before the shutdown timeout stay in the queue store ({}); the next "
                        + "start delivers them", queue.packets(), queue.store().shared() ? "uncommitted in the Kafka topic, "
                        + "for any replica" : "the journal");
            }
            return;
        }
        // a queue in memory dies with the process: what it still holds goes to the dead-letter store
        List<Exchange> left = new ArrayList<>();
        queue.drainTo(left);
        for (Exchange exchange : left) {
            Packet packet = exchange.getMessage().getBody(Packet.class);
            if (deadLetters.record(new DeadLetter(packet, "shutdown_timeout",
                    "still queued when the shutdown timeout ended the drain", null, 0))) {
                queue.release(packet);
            }
        }
        deadLetters.retryPending();
        if (!left.isEmpty()) {
            LOG.warn("{} queued packets were not delivered before the shutdown timeout and went to the dead-letter store",
                    left.size());
        }
        if (deadLetters.pendingCount() > 0) {
            LOG.error("{} undelivered packets are lost: the dead-letter store could not be written and the queue is in "
                    + "memory (distributor.queue.store=memory)", deadLetters.pendingCount());
        }
    }
}
