package io.logsdistributor.ingest;

import io.logsdistributor.metrics.DistributorMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/** Answers 202 once the packet is on the queue, and counts it as accepted. */
public final class AcceptedReply implements Processor {

    private final DistributorMetrics metrics;

    public AcceptedReply(DistributorMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Packet packet = message.getBody(Packet.class);
        metrics.accepted(packet.messageCount());
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody("{\"status\":\"accepted\",\"packet_id\":" + JsonText.quote(packet.packetId())
                + ",\"messages\":" + packet.messageCount() + "}");
    }
}
