package io.logsdistributor.analyzer;

/**
 * Turns a stream of health-check results into a healthy/unhealthy verdict with hysteresis: one missed
 * poll should not take an analyzer out of rotation, and one good answer is enough to bring it back.
 */
final class HealthTracker {

    private final int unhealthyAfter;
    private final int healthyAfter;
    private volatile boolean healthy = true;
    private int failures;
    private int successes;

    HealthTracker(int unhealthyAfter, int healthyAfter) {
        this.unhealthyAfter = unhealthyAfter;
        this.healthyAfter = healthyAfter;
    }

    boolean healthy() {
        return healthy;
    }

    /** @return true when this result changed the verdict */
    synchronized boolean record(boolean ok) {
        if (ok) {
            failures = 0;
            successes++;
            if (!healthy && successes >= healthyAfter) {
                healthy = true;
                return true;
            }
        } else {
            successes = 0;
            failures++;
            if (healthy && failures >= unhealthyAfter) {
                healthy = false;
                return true;
            }
        }
        return false;
    }
}
