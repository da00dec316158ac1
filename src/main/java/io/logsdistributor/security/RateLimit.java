package io.logsdistributor.security;

/** Sustained rates an agent may send at, each also its burst over one second; 0 leaves that rate unlimited. */
public record RateLimit(double packetsPerSecond, double messagesPerSecond) {

    public static final RateLimit NONE = new RateLimit(0, 0);

    public RateLimit {
        if (!(packetsPerSecond >= 0) || !(messagesPerSecond >= 0)
                || Double.isInfinite(packetsPerSecond) || Double.isInfinite(messagesPerSecond)) {
            throw new IllegalArgumentException("rates must be finite and >= 0");
        }
    }

    public boolean unlimited() {
        return packetsPerSecond == 0 && messagesPerSecond == 0;
    }
}
