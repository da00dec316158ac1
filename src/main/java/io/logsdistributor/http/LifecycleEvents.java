package io.logsdistributor.http;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Opens the gate when the Camel context has started (every route is up by then), and starts the drain
 * answers as soon as it begins to stop, before any route stops (Camel notifies first, then stops the
 * routes).
 */
final class LifecycleEvents extends EventNotifierSupport {

    private final LifecycleGate gate;
    private final Runnable settleRequestsInProgress;

    /** @param settleRequestsInProgress run once draining started: returns when the routes may stop */
    LifecycleEvents(LifecycleGate gate, Runnable settleRequestsInProgress) {
        this.gate = gate;
        this.settleRequestsInProgress = settleRequestsInProgress;
        // only the context's own events matter here (see metrics.ExchangeEventsOff)
        setIgnoreExchangeEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStartedEvent || event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.CamelContextStartedEvent) {
            gate.ready();
        } else {
            gate.draining();
            settleRequestsInProgress.run();
        }
    }
}
