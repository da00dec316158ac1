package io.logsdistributor.queue;

import io.logsdistributor.ingest.Packet;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Last step of delivery: the packet was delivered or is in the dead-letter store, so it leaves the
 * queue and its journal record is deleted. A packet marked {@link #KEEP} stays recorded: its dead
 * letter could not be written yet, or the shutdown left it for the next start.
 */
public final class QueueRelease implements Processor {

    /** Exchange property: true when the packet must stay in the queue store. */
    public static final String KEEP = "distributor.keep";

    private final PacketQueue queue;

    public QueueRelease(PacketQueue queue) {
        this.queue = queue;
    }

    @Override
    public void process(Exchange exchange) {
        if (exchange.getProperty(KEEP) == null) {
            queue.release(exchange.getMessage().getBody(Packet.class));
        }
    }
}
