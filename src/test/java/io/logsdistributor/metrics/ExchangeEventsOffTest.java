package io.logsdistributor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerExchangeEventNotifier;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;

class ExchangeEventsOffTest {

    /** a notifier that, like camel-main's and camel-micrometer's, does not say which events it ignores */
    static final class Counting extends EventNotifierSupport {
        final AtomicInteger exchangeEvents = new AtomicInteger();
        final AtomicInteger routeEvents = new AtomicInteger();

        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeEvent) {
                exchangeEvents.incrementAndGet();
            } else if (event instanceof CamelEvent.RouteEvent) {
                routeEvents.incrementAndGet();
            }
        }
    }

    static final class Route extends RouteBuilder {
        @Override
        public void configure() {
            from("direct:in").routeId("in").to("log:x?level=OFF");
        }
    }

    @Test
    void otherNotifiersStopReceivingExchangeEventsOnceTheContextHasStarted() throws Exception {
        Counting counting = new Counting();
        MicrometerExchangeEventNotifier meters = new MicrometerExchangeEventNotifier();
        try (CamelContext context = new DefaultCamelContext()) {
            context.getManagementStrategy().addEventNotifier(counting);
            context.getManagementStrategy().addEventNotifier(new ExchangeEventsOff());
            context.getManagementStrategy().addEventNotifier(meters);
            context.addRoutes(new Route());
            context.start();
            context.createProducerTemplate().sendBody("direct:in", "packet");
            context.getRouteController().stopRoute("in");

            assertThat(counting.exchangeEvents).hasValue(0);
            assertThat(counting.routeEvents.get()).as("route events still arrive").isPositive();
            assertThat(meters.isIgnoreExchangeEvents()).as("Camel's exchange meters keep their events").isFalse();
            assertThat(context.getCamelContextExtension().isEventNotificationApplicable())
                    .as("exchanges still notify Camel's exchange meters").isTrue();
        }
    }

    @Test
    void withNobodyListeningExchangesDoNotNotifyAtAll() throws Exception {
        Counting counting = new Counting();
        try (CamelContext context = new DefaultCamelContext()) {
            context.getManagementStrategy().addEventNotifier(counting);
            context.getManagementStrategy().addEventNotifier(new ExchangeEventsOff());
            context.addRoutes(new Route());
            context.start();
            assertThat(context.getCamelContextExtension().isEventNotificationApplicable()).isFalse();
            context.createProducerTemplate().sendBody("direct:in", "packet");
            assertThat(counting.exchangeEvents).hasValue(0);
        }
    }
}
