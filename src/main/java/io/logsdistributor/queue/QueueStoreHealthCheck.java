package io.logsdistributor.queue;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness is DOWN while the queue store cannot record packets (disk full, read-only, I/O error, Kafka unreachable):
 * ingest answers 503 storage_unavailable then, and a load balancer should send agents elsewhere.
 * Liveness is unaffected: a restart would not free the disk.
 */
public final class QueueStoreHealthCheck extends AbstractHealthCheck {

    private final QueueStore store;

    public QueueStoreHealthCheck(QueueStore store) {
        super("logs-distributor", "queue-store");
        this.store = store;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String problem = store.unavailableReason();
        if (problem == null) {
            builder.up();
        } else {
            builder.message("the queue store cannot take packets: " + problem).down();
        }
    }
}
