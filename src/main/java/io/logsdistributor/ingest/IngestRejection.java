package io.logsdistributor.ingest;

/**
 * Why /ingest refuses a request: the HTTP status, the error code of the JSON answer, an optional
 * detail, and for 429/503 the seconds after which the client should retry.
 */
public class IngestRejection extends RuntimeException {

    private final int status;
    private final String error;
    private final int retryAfterSeconds;

    public IngestRejection(int status, String error, String detail, int retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static IngestRejection invalid(String detail) {
        return new IngestRejection(400, "invalid_packet", detail, 0);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String detail() {
        return getMessage();
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
