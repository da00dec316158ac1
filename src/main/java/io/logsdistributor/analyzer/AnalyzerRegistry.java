package io.logsdistributor.analyzer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.logsdistributor.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured analyzers and whether each can take traffic right now: healthy by its health checks
 * and its circuit breaker not open. The breakers live here (one per analyzer, referenced by the
 * analyzer routes) so that the balancer can see their state before it picks. The set is replaced as a
 * whole when analyzers.yaml changes ({@link #publish}); readers take one snapshot with {@link #current}.
 */
public final class AnalyzerRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyzerRegistry.class);

    private final Settings settings;
    private final CircuitBreakerConfig breakerConfig;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicInteger generations = new AtomicInteger();
    private final Set<String> usedKeys = ConcurrentHashMap.newKeySet();
    private volatile Analyzer[] current;
    private volatile boolean draining;

    public AnalyzerRegistry(List<AnalyzerSpec> specs, Settings settings) {
        this.settings = settings;
        this.breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.breakerWindow())
                .minimumNumberOfCalls(settings.breakerMinimumCalls())
                .failureRateThreshold(settings.breakerFailureRatePercent())
                // an analyzer that stays slow holds deliveries as long as a failing one wastes them
                .slowCallDurationThreshold(settings.breakerSlowCall())
                .slowCallRateThreshold(settings.breakerSlowCallRatePercent())
                .waitDurationInOpenState(settings.breakerOpen())
                .permittedNumberOfCallsInHalfOpenState(3)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .writableStackTraceEnabled(false)
                .build();
        Analyzer[] initial = new Analyzer[specs.size()];
        for (int i = 0; i < initial.length; i++) {
            initial[i] = create(specs.get(i));
        }
        this.current = initial;
    }

    /** The registry name under which an analyzer's breaker is bound for its route's circuitBreaker. */
    public static String breakerName(String analyzerKey) {
        return "breaker-" + analyzerKey;
    }

    /**
     * A new analyzer with fresh health and breaker. Its key is its id the first time the id is seen,
     * and the id with a generation after that, so that its route and breaker never clash with those of
     * an analyzer of the same id still finishing its deliveries.
     */
    public Analyzer create(AnalyzerSpec spec) {
        int generation = generations.incrementAndGet();
        // '.' is not allowed in ids, so a generated key never equals another analyzer's id
        String key = usedKeys.add(spec.id()) ? spec.id() : spec.id() + "." + generation;
        usedKeys.add(key);
        CircuitBreaker breaker = CircuitBreaker.of(breakerName(key), breakerConfig);
        Analyzer analyzer = new Analyzer(key, spec, new HealthTracker(settings.unhealthyAfter(), settings.healthyAfter()),
                breaker);
        breaker.getEventPublisher().onStateTransition(e -> {
            LOG.info("Analyzer {} circuit breaker: {}", spec.id(), e.getStateTransition());
            signalChange();
        });
        return analyzer;
    }

    /** The analyzers now: an immutable snapshot, in analyzers.yaml order. */
    public Analyzer[] current() {
        return current;
    }

    /** Makes {@code next} the current set; analyzers no longer in it are retired (no new packets). */
    public void publish(Analyzer[] next) {
        Analyzer[] previous = current;
        current = next;
        for (Analyzer old : previous) {
            boolean kept = false;
            for (Analyzer a : next) {
                kept |= a == old;
            }
            if (!kept) {
                old.retire();
            }
        }
        signalChange();
    }

    /** Updates a kept analyzer's weight (or health URL) in place: its credit, health and breaker stay. */
    public void reweigh(Analyzer analyzer, AnalyzerSpec spec) {
        analyzer.reweigh(spec);
    }

    public int size() {
        return current.length;
    }

    public int eligibleCount() {
        int n = 0;
        for (Analyzer a : current) {
            n += a.eligible() ? 1 : 0;
        }
        return n;
    }

    /** Whether each analyzer of {@code analyzers} can take traffic, in the same order. */
    public static boolean[] eligibility(Analyzer[] analyzers) {
        boolean[] out = new boolean[analyzers.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = analyzers[i].eligible();
        }
        return out;
    }

    /** Applies one health-check result; an analyzer that comes back gets a trial through its breaker at once. */
    public void recordHealth(Analyzer analyzer, boolean ok) {
        if (!analyzer.recordHealth(ok)) {
            return;
        }
        if (ok) {
            LOG.info("Analyzer {} is healthy again", analyzer.id());
            if (analyzer.breaker().getState() == CircuitBreaker.State.OPEN) {
                analyzer.breaker().transitionToHalfOpenState();
            }
        } else {
            LOG.warn("Analyzer {} is unhealthy: its health checks at {} keep failing", analyzer.id(),
                    analyzer.spec().healthUrl());
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
