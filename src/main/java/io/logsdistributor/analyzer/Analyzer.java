package io.logsdistributor.analyzer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.logsdistributor.balance.MessageShareSelector;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One configured analyzer and what the distributor knows of it now: its health, its circuit breaker,
 * and the deliveries it has in flight. The object lives as long as the analyzer's id, url and health
 * URL stay in analyzers.yaml; a reload that changes only its weight keeps it, so it keeps its credit,
 * health and breaker.
 */
public final class Analyzer implements MessageShareSelector.Member {

    private final String key;
    private final HealthTracker health;
    private final CircuitBreaker breaker;
    private final AtomicInteger deliveries = new AtomicInteger();
    private volatile AnalyzerSpec spec;
    private volatile boolean retired;

    /**
     * @param key unique among all analyzers this process ever had: the id, and for an id that came back
     *     with another url, a generation ({@code id.2}); names its route and breaker
     */
    Analyzer(String key, AnalyzerSpec spec, HealthTracker health, CircuitBreaker breaker) {
        this.key = key;
        this.spec = spec;
        this.health = health;
        this.breaker = breaker;
    }

    public String key() {
        return key;
    }

    public AnalyzerSpec spec() {
        return spec;
    }

    public String id() {
        return spec.id();
    }

    @Override
    public double weight() {
        return spec.weight();
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    public boolean healthy() {
        return health.healthy();
    }

    /** Healthy, breaker not open, and still configured. */
    public boolean eligible() {
        CircuitBreaker.State state = breaker.getState();
        return !retired && health.healthy() && state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }

    /** Removed from analyzers.yaml: takes no new packets, finishes those in flight. */
    public boolean retired() {
        return retired;
    }

    /** Deliveries to this analyzer under way right now. */
    public int deliveries() {
        return deliveries.get();
    }

    public void deliveryStarted() {
        deliveries.incrementAndGet();
    }

    public void deliveryEnded() {
        deliveries.decrementAndGet();
    }

    /** @return true when this result changed the verdict */
    boolean recordHealth(boolean ok) {
        return health.record(ok);
    }

    void reweigh(AnalyzerSpec changed) {
        spec = changed;
    }

    void retire() {
        retired = true;
    }

    @Override
    public String toString() {
        return key;
    }
}
