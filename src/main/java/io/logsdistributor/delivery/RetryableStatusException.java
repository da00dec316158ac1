package io.logsdistributor.delivery;

/**
 * An analyzer answered with a status that says "try elsewhere" (408, 429, 5xx). Thrown inside the
 * circuit breaker so that it counts as a failure there, and caught by the balancer to fail over.
 */
public class RetryableStatusException extends RuntimeException {

    private final int status;

    public RetryableStatusException(int status) {
        super("HTTP " + status, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
