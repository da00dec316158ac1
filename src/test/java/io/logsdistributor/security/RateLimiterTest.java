package io.logsdistributor.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(42 * SECOND);

    @Test
    void aBurstOfOneSecondPassesThenTheWaitIsUntilEnoughTokens() {
        RateLimiter limiter = new RateLimiter(10, now::get);
        RateLimit limit = new RateLimit(2, 0);

        assertThat(limiter.acquire("a", limit, 1)).isZero();
        assertThat(limiter.acquire("a", limit, 1)).isZero();
        assertThat(limiter.acquire("a", limit, 1)).isEqualTo(SECOND / 2);
        now.addAndGet(SECOND / 2);
        assertThat(limiter.acquire("a", limit, 1)).isZero();
        assertThat(limiter.acquire("b", limit, 1)).as("agents have buckets of their own").isZero();
    }

    @Test
    void messagesCountAndAPacketLargerThanTheBurstPassesOnlyIntoDebt() {
        RateLimiter limiter = new RateLimiter(10, now::get);
        RateLimit limit = new RateLimit(0, 100);

        assertThat(limiter.acquire("a", limit, 250)).as("full bucket: passes, 150 in debt").isZero();
        assertThat(limiter.acquire("a", limit, 10)).isEqualTo(1_600_000_000L);
        now.addAndGet(1_600_000_000L);
        assertThat(limiter.acquire("a", limit, 10)).isZero();
    }

    @Test
    void trackedAgentsStayUnderTheCapDroppingIdleBucketsFirst() {
        RateLimiter limiter = new RateLimiter(100, now::get);
        RateLimit limit = new RateLimit(1, 0);
        for (int i = 0; i < 10_000; i++) {
            limiter.acquire("agent-" + i, limit, 1);
            assertThat(limiter.trackedAgents()).isLessThanOrEqualTo(100);
        }
        assertThat(limiter.acquire("agent-9999", limit, 1)).as("a recent agent is still limited").isPositive();
    }
}
