package io.logsdistributor.security;

/**
 * One agent's allowance of packets and messages, refilled continuously at its rates up to one
 * second's worth. A packet larger than a full bucket still passes when the bucket is full and
 * leaves it in debt, so no packet size is refused for ever.
 */
final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private double packets;
    private double messages;
    private long updatedNanos;
    private RateLimit limit;

    TokenBucket(RateLimit limit, long nowNanos) {
        this.limit = limit;
        this.packets = limit.packetsPerSecond();
        this.messages = limit.messagesPerSecond();
        this.updatedNanos = nowNanos;
    }

    /** Takes the packet's tokens and returns 0, or takes nothing and returns the nanoseconds until it could pass. */
    synchronized long acquire(RateLimit current, int messageCount, long nowNanos) {
        refill(current, nowNanos);
        double packetWait = wait(packets, 1, current.packetsPerSecond());
        double messageWait = wait(messages, messageCount, current.messagesPerSecond());
        if (packetWait > 0 || messageWait > 0) {
            return (long) Math.ceil(Math.max(packetWait, messageWait) * NANOS_PER_SECOND);
        }
        packets -= 1;
        messages -= messageCount;
        return 0;
    }

    /** Full again: forgetting the bucket loses nothing, a new one would start full too. */
    synchronized boolean full(long nowNanos) {
        refill(limit, nowNanos);
        return packets >= limit.packetsPerSecond() && messages >= limit.messagesPerSecond();
    }

    private void refill(RateLimit current, long nowNanos) {
        double seconds = Math.max(0, nowNanos - updatedNanos) / NANOS_PER_SECOND;
        packets = Math.min(current.packetsPerSecond(), packets + seconds * current.packetsPerSecond());
        messages = Math.min(current.messagesPerSecond(), messages + seconds * current.messagesPerSecond());
        updatedNanos = nowNanos;
        limit = current;
    }

    /** Seconds until {@code tokens} covers the cost (capped at a full bucket); 0 when it does or the rate is off. */
    private static double wait(double tokens, double cost, double rate) {
        if (rate == 0) {
            return 0;
        }
        double needed = Math.min(cost, rate);
        return tokens >= needed ? 0 : (needed - tokens) / rate;
    }
}
