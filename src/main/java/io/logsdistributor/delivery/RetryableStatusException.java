package io.logsdistributor.delivery;

/**
 * An analyzer answered with a status that means it is failing (anything but 2xx, 400 and 422). Thrown
 * inside the circuit breaker so that it counts as a failure there, and caught by the balancer to fail over.
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
