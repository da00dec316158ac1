package io.logsdistributor.http;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Sets an HTTP answer on a platform-http exchange. Every answer starts by dropping the request's
 * headers: platform-http would echo them back, and a form-encoded request's body arrives as headers
 * that made Vert.x fail the answer with a bare 500.
 */
public final class Reply {

    public static final String JSON = "application/json";

    private Reply() {
    }

    /** @return the message, for any header the answer adds (Retry-After, WWW-Authenticate) */
    public static Message with(Exchange exchange, int status, String contentType, Object body) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setBody(body);
        return message;
    }
}
