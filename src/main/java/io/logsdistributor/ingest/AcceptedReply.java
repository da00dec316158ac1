package io.logsdistributor.ingest;

import io.logsdistributor.http.Reply;
import io.logsdistributor.metrics.DistributorMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Answers 202 once the packet is on the queue, and counts it as accepted. */
public final class AcceptedReply implements Processor {

    private final DistributorMetrics metrics;

    public AcceptedReply(DistributorMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        Packet packet = exchange.getMessage().getBody(Packet.class);
        metrics.accepted(packet.messageCount());
        Reply.with(exchange, 202, Reply.JSON, "{\"status\":\"accepted\",\"packet_id\":" + JsonText.quote(packet.packetId())
                + ",\"messages\":" + packet.messageCount() + "}");
    }
}
