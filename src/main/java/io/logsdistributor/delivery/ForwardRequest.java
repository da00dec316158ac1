package io.logsdistributor.delivery;

import io.logsdistributor.ingest.Packet;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/** Shapes the request to an analyzer (contract §4): the packet bytes as received, and its identifying headers. */
public final class ForwardRequest implements Processor {

    static final String PACKET_ID = "X-Packet-Id";
    static final String AGENT_ID = "X-Agent-Id";
    static final String MESSAGE_COUNT = "X-Message-Count";

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Packet packet = message.getBody(Packet.class);
        message.getHeaders().clear();
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader(PACKET_ID, packet.packetId());
        message.setHeader(AGENT_ID, packet.agentId());
        message.setHeader(MESSAGE_COUNT, packet.messageCount());
        // a byte[] body gives the request a Content-Length instead of chunked encoding
        message.setBody(packet.body());
    }
}
