package io.logsdistributor.balance;

import io.logsdistributor.analyzer.AnalyzerRegistry;
import io.logsdistributor.delivery.DeadLetter;
import io.logsdistributor.delivery.DeliveryOutcome;
import io.logsdistributor.ingest.Packet;
import io.logsdistributor.metrics.DistributorMetrics;
import io.logsdistributor.queue.QueueRelease;
import java.time.Duration;
import java.util.Arrays;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.processor.loadbalancer.LoadBalancerSupport;
import org.apache.camel.support.ExchangeHelper;

/**
 * Camel LoadBalancer that sends each packet whole to one analyzer, chosen by {@link MessageShareSelector}
 * among those that can take traffic, and fails over on a failed attempt with exponential backoff to an
 * analyzer that has not failed this packet yet.
 *
 * <p>Its single child sends to the analyzer named by the exchange property {@value #ANALYZER}; each
 * attempt runs on a fresh copy of the exchange so that one analyzer's answer never leaks into the next
 * attempt. An analyzer is charged when picked and refunded when its attempt fails, so the shares count
 * delivered messages. A packet that cannot be delivered gets a {@link DeadLetter} in the exchange
 * property {@value #DEAD_LETTER} for the route to store; nothing is dropped here.
 */
public final class MessageWeightedBalancer extends LoadBalancerSupport {

    public static final String ANALYZER = "analyzer";
    public static final String DEAD_LETTER = "deadLetter";

    private final AnalyzerRegistry analyzers;
    private final MessageShareSelector selector;
    private final DistributorMetrics metrics;
    private final int maxAttempts;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final Duration unavailableWait;
    private final boolean durableQueue;

    /**
     * @param durableQueue the queue is on disk: a packet the shutdown interrupts stays there for the next
     *     start instead of being dead-lettered
     */
    public MessageWeightedBalancer(AnalyzerRegistry analyzers, MessageShareSelector selector, DistributorMetrics metrics,
            int maxAttempts, Duration backoffInitial, Duration backoffMax, Duration unavailableWait, boolean durableQueue) {
        this.analyzers = analyzers;
        this.selector = selector;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
        this.backoffInitial = backoffInitial;
        this.backoffMax = backoffMax;
        this.unavailableWait = unavailableWait;
        this.durableQueue = durableQueue;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        // the analyzer routes are synchronous (camel-http), so the consumer thread carries the whole
        // delivery; that keeps in-flight packets bounded by the number of consumers
        Packet packet = exchange.getMessage().getBody(Packet.class);
        try {
            deliver(exchange, packet);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            undelivered(exchange, new DeadLetter(packet, "interrupted", "delivery interrupted by shutdown", null, 0));
        } catch (RuntimeException e) {
            exchange.setProperty(DEAD_LETTER, new DeadLetter(packet, "internal_error", e.toString(), null, 0));
        }
        callback.done(true);
        return true;
    }

    private void deliver(Exchange exchange, Packet packet) throws InterruptedException {
        AsyncProcessor send = doGetProcessors()[0];
        int messages = packet.messageCount();
        int attempts = 0;
        String reason = "no_analyzer_available";
        String detail = "no analyzer could take traffic within " + unavailableWait.toMillis() + " ms";
        String lastAnalyzer = null;
        long waitDeadline = System.nanoTime() + unavailableWait.toNanos();
        boolean[] failed = new boolean[analyzers.size()];
        while (attempts < maxAttempts) {
            boolean[] eligible = analyzers.eligibility();
            int pick = selector.pick(messages, eligible, failed);
            if (pick < 0 && anyEligible(eligible)) {
                // every analyzer that can take traffic has failed this packet: start another round
                Arrays.fill(failed, false);
                pick = selector.pick(messages, eligible, failed);
            }
            if (pick < 0) {
                Duration left = Duration.ofNanos(Math.max(0, waitDeadline - System.nanoTime()));
                if (analyzers.awaitEligible(left)) {
                    continue;
                }
                break;
            }
            attempts++;
            lastAnalyzer = analyzers.spec(pick).id();
            Exchange attempt = ExchangeHelper.createCopy(exchange, true);
            attempt.setProperty(ANALYZER, lastAnalyzer);
            long start = System.nanoTime();
            try {
                send.process(attempt);
            } catch (Exception e) {
                attempt.setException(e);
            }
            DeliveryOutcome outcome = DeliveryOutcome.of(attempt);
            if (outcome.kind() == DeliveryOutcome.Kind.DELIVERED) {
                metrics.delivered(pick, messages, System.nanoTime() - start, attempts > 1);
                exchange.setProperty(ANALYZER, lastAnalyzer);
                return;
            }
            selector.refund(pick, messages, analyzers.eligibility());
            failed[pick] = true;
            detail = lastAnalyzer + ": " + outcome.detail();
            if (outcome.kind() == DeliveryOutcome.Kind.REFUSED) {
                reason = "refused_by_analyzer";
                break;
            }
            reason = "delivery_failed";
            if (attempts < maxAttempts) {
                metrics.retried();
                Thread.sleep(backoff(attempts).toMillis());
            }
        }
        undelivered(exchange, new DeadLetter(packet, reason, detail, lastAnalyzer, attempts));
    }

    /**
     * A packet that will not be delivered now. While the distributor shuts down with its queue on disk,
     * one that could not be delivered for want of an analyzer (or was interrupted) stays in the journal
     * for the next start; anything else goes to the dead-letter store.
     */
    private void undelivered(Exchange exchange, DeadLetter letter) {
        boolean shutdownCasualty = letter.reason().equals("interrupted")
                || (letter.reason().equals("no_analyzer_available") && analyzers.draining());
        if (durableQueue && shutdownCasualty) {
            exchange.setProperty(QueueRelease.KEEP, true);
        } else {
            exchange.setProperty(DEAD_LETTER, letter);
        }
    }

    private static boolean anyEligible(boolean[] eligible) {
        for (boolean e : eligible) {
            if (e) {
                return true;
            }
        }
        return false;
    }

    /** initial × 2^(attempt−1), capped: the first retry is quick, a fleet-wide outage is not hammered. */
    Duration backoff(int attempt) {
        long millis = backoffInitial.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, backoffMax.toMillis()));
    }
}
