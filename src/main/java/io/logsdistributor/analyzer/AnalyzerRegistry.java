package io.logsdistributor.analyzer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.logsdistributor.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured analyzers and whether each can take traffic right now: healthy by its health checks
 * and its circuit breaker not open. The breakers live here (one per analyzer, referenced by the
 * analyzer routes) so that the balancer can see their state before it picks.
 */
public final class AnalyzerRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyzerRegistry.class);

    private final List<AnalyzerSpec> specs;
    private final HealthTracker[] health;
    private final CircuitBreaker[] breakers;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile boolean draining;

    public AnalyzerRegistry(List<AnalyzerSpec> specs, Settings settings) {
        this.specs = List.copyOf(specs);
        this.health = new HealthTracker[specs.size()];
        this.breakers = new CircuitBreaker[specs.size()];
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.breakerWindow())
                .minimumNumberOfCalls(settings.breakerMinimumCalls())
                .failureRateThreshold(settings.breakerFailureRatePercent())
                .waitDurationInOpenState(settings.breakerOpen())
                .permittedNumberOfCallsInHalfOpenState(3)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .writableStackTraceEnabled(false)
                .build();
        for (int i = 0; i < specs.size(); i++) {
            AnalyzerSpec spec = specs.get(i);
            health[i] = new HealthTracker(settings.unhealthyAfter(), settings.healthyAfter());
            breakers[i] = CircuitBreaker.of(breakerName(spec.id()), config);
            breakers[i].getEventPublisher().onStateTransition(e -> {
                LOG.info("Analyzer {} circuit breaker: {}", spec.id(), e.getStateTransition());
                signalChange();
            });
        }
    }

    /** The registry name under which an analyzer's breaker is bound for its route's circuitBreaker. */
    public static String breakerName(String analyzerId) {
        return "breaker-" + analyzerId;
    }

    public int size() {
        return specs.size();
    }

    public List<AnalyzerSpec> specs() {
        return specs;
    }

    public AnalyzerSpec spec(int index) {
        return specs.get(index);
    }

    public CircuitBreaker breaker(int index) {
        return breakers[index];
    }

    public boolean healthy(int index) {
        return health[index].healthy();
    }

    public boolean eligible(int index) {
        CircuitBreaker.State state = breakers[index].getState();
        return health[index].healthy() && state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }

    public boolean[] eligibility() {
        boolean[] out = new boolean[specs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = eligible(i);
        }
        return out;
    }

    public int eligibleCount() {
        int n = 0;
        for (int i = 0; i < specs.size(); i++) {
            n += eligible(i) ? 1 : 0;
        }
        return n;
    }

    /** Applies one health-check result; an analyzer that comes back gets a trial through its breaker at once. */
    public void recordHealth(int index, boolean ok) {
        if (!health[index].record(ok)) {
            return;
        }
        AnalyzerSpec spec = specs.get(index);
        if (ok) {
            LOG.info("Analyzer {} is healthy again", spec.id());
            if (breakers[index].getState() == CircuitBreaker.State.OPEN) {
                breakers[index].transitionToHalfOpenState();
            }
        } else {
            LOG.warn("Analyzer {} is unhealthy: its health checks at {} keep failing", spec.id(), spec.healthUrl());
        }
        signalChange();
    }

    /**
     * Waits until some analyzer can take traffic. Returns false at once while draining for shutdown, so
     * that queued packets are settled instead of waiting for analyzers that may never come back.
     */
    public boolean awaitEligible(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        lock.lock();
        try {
            while (eligibleCount() == 0) {
                long left = deadline - System.nanoTime();
                if (draining || left <= 0) {
                    return false;
                }
                changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    public void startDraining() {
        draining = true;
        signalChange();
    }

    public boolean draining() {
        return draining;
    }

    private void signalChange() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
