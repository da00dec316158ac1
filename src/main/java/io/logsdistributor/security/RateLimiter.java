package io.logsdistributor.security;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Token buckets per agent. Without API keys agent ids are whatever clients send, so the number of
 * buckets is capped: past the cap, buckets that have refilled (idle agents) are dropped first, then
 * arbitrary ones, down to 90% of the cap so that the sweep's cost is spread over many new agents.
 * An active agent dropped that way merely starts again with a full bucket.
 */
public final class RateLimiter {

    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final int maxAgents;
    private final LongSupplier nanoClock;
    private final ReentrantLock sweep = new ReentrantLock();

    public RateLimiter(int maxAgents, LongSupplier nanoClock) {
        this.maxAgents = maxAgents;
        this.nanoClock = nanoClock;
    }

    /** 0 when the agent may send this packet (its tokens are taken), else nanoseconds until it may. */
    public long acquire(String agent, RateLimit limit, int messages) {
        long now = nanoClock.getAsLong();
        TokenBucket bucket = buckets.get(agent);
        if (bucket == null) {
            if (buckets.size() >= maxAgents) {
                evict(now);
            }
            bucket = buckets.computeIfAbsent(agent, a -> new TokenBucket(limit, now));
        }
        return bucket.acquire(limit, messages, now);
    }

    public int trackedAgents() {
        return buckets.size();
    }

    private void evict(long now) {
        if (!sweep.tryLock()) {
            return;
        }
        try {
            int target = Math.max(0, maxAgents - Math.max(1, maxAgents / 10));
            buckets.values().removeIf(b -> b.full(now));
            Iterator<String> agents = buckets.keySet().iterator();
            while (buckets.size() > target && agents.hasNext()) {
                agents.next();
                agents.remove();
            }
        } finally {
            sweep.unlock();
        }
    }
}
