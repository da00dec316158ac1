package io.logsdistributor.delivery;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.apache.camel.Exchange;

/** What one delivery attempt came to, read off the attempt's exchange. */
public record DeliveryOutcome(Kind kind, String detail) {

    public enum Kind { DELIVERED, REFUSED, FAILED }

    public static DeliveryOutcome of(Exchange attempt) {
        Exception failure = attempt.getException();
        if (failure != null) {
            return new DeliveryOutcome(Kind.FAILED, describe(failure));
        }
        int status = status(attempt);
        if (status >= 200 && status < 300) {
            return new DeliveryOutcome(Kind.DELIVERED, null);
        }
        return new DeliveryOutcome(Kind.REFUSED, "HTTP " + status);
    }

    static int status(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? 0 : status;
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (failure instanceof CallNotPermittedException || root instanceof CallNotPermittedException) {
            return "circuit breaker open";
        }
        if (root instanceof RetryableStatusException status) {
            return status.getMessage();
        }
        if (root instanceof ConnectException) {
            return "connection failed: " + root.getMessage();
        }
        if (root instanceof SocketTimeoutException || root.getClass().getSimpleName().contains("Timeout")) {
            return "timed out: " + root.getMessage();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
