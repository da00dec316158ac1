package io.logsdistributor.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The request to an analyzer carries exactly the packet's identifying headers (contract §4); the
 * content type and length come from the body. camel-http's default strategy instead tests every
 * header against its pattern lists, lower-casing each name, on every packet.
 */
public final class AnalyzerHeaderFilter implements HeaderFilterStrategy {

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return !(name.equals(ForwardRequest.PACKET_ID) || name.equals(ForwardRequest.AGENT_ID)
                || name.equals(ForwardRequest.MESSAGE_COUNT));
    }

    /** the analyzer's answer counts by its status only */
    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return true;
    }
}
