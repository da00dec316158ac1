package io.logsdistributor.delivery;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.apache.camel.Exchange;

/** What one delivery attempt came to, read off the attempt's exchange. */
public record DeliveryOutcome(Kind kind, String detail) {

    public enum Kind {
        /** 2xx */
        DELIVERED,
        /** 400 or 422: the analyzer refuses this packet; dead-lettered without retry */
        REFUSED,
        /** the analyzer failed: try another */
        FAILED,
        /** the analyzer's breaker refused the call: no attempt was made, try another */
        NOT_PERMITTED
    }

    public static DeliveryOutcome of(Exchange attempt) {
        Exception failure = attempt.getException();
        if (failure != null) {
            Throwable root = root(failure);
            if (failure instanceof CallNotPermittedException || root instanceof CallNotPermittedException
                    || root instanceof BulkheadFullException) {
                return new DeliveryOutcome(Kind.NOT_PERMITTED, "circuit breaker open");
            }
            return new DeliveryOutcome(Kind.FAILED, describe(root));
        }
        int status = status(attempt);
        if (delivered(status)) {
            return new DeliveryOutcome(Kind.DELIVERED, null);
        }
        if (refused(status)) {
            return new DeliveryOutcome(Kind.REFUSED, "HTTP " + status);
        }
        return new DeliveryOutcome(Kind.FAILED, "HTTP " + status);
    }

    static boolean delivered(int status) {
        return status >= 200 && status < 300;
    }

    /** Only these say "this packet is bad" (contract §4); every other status is the analyzer failing. */
    static boolean refused(int status) {
        return status == 400 || status == 422;
    }

    static int status(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? 0 : status;
    }

    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String describe(Throwable root) {
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
