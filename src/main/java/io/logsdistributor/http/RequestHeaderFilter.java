package io.logsdistributor.http;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Which HTTP headers cross between Vert.x and the platform-http routes. In: only those the routes
 * read (content type and API key). platform-http's default copies every request header into the
 * exchange, where each copy of the exchange copies them again, only for the routes to drop them.
 * Out: the answer's own headers (Retry-After, WWW-Authenticate), never Camel's internal ones; the
 * content type and length are set by platform-http itself.
 */
public final class RequestHeaderFilter implements HeaderFilterStrategy {

    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return !(name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Authorization")
                || name.equalsIgnoreCase("X-API-Key"));
    }

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return name.regionMatches(true, 0, "Camel", 0, 5) || name.equalsIgnoreCase("Content-Type")
                || name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                || name.equalsIgnoreCase("Connection");
    }
}
