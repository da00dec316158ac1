package io.logsdistributor.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Replaces the request body with a validated {@link Packet} and drops the client's headers, which
 * must neither travel with the packet to an analyzer nor be echoed back in the reply.
 */
public final class PacketValidation implements Processor {

    private final PacketValidator validator;

    public PacketValidation(PacketValidator validator) {
        this.validator = validator;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Packet packet = validator.validate(message.getBody(byte[].class));
        message.getHeaders().clear();
        message.setBody(packet);
    }
}
