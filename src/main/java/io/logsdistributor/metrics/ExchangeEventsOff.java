package io.logsdistributor.metrics;

import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerExchangeEventNotifier;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.support.EventHelper;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Camel builds an event object for every exchange and every send (created, sending, sent, completed)
 * as soon as one event notifier does not ignore exchange events, about 4 % of the distributor's CPU,
 * and walks its list of notifiers at every step of every exchange while any is registered.
 * The notifiers camel-main and camel-micrometer register (the placeholder summary, the route gauges)
 * only listen to context and route events but do not say so; once the context has started, this
 * tells them. Camel's per-exchange meters, which do need exchange events, are left alone.
 */
public final class ExchangeEventsOff extends EventNotifierSupport {

    public ExchangeEventsOff() {
        ignoreExchangeEvents(this);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        CamelContext context = getCamelContext();
        for (EventNotifier notifier : context.getManagementStrategy().getEventNotifiers()) {
            if (!(notifier instanceof MicrometerExchangeEventNotifier)) {
                ignoreExchangeEvents(notifier);
            }
        }
        // Camel decided at start whether exchanges notify at all; with nobody listening they need not
        // even walk the list of notifiers
        context.getCamelContextExtension().setEventNotificationApplicable(EventHelper.eventsApplicable(context));
    }

    private static void ignoreExchangeEvents(EventNotifier notifier) {
        notifier.setIgnoreExchangeEvents(true);
        notifier.setIgnoreExchangeAsyncProcessingStartedEvents(true);
        notifier.setIgnoreStepEvents(true);
    }
}
