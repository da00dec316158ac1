package io.logsdistributor.balance;

import io.logsdistributor.analyzer.Analyzer;
import io.logsdistributor.analyzer.AnalyzerRegistry;
import io.logsdistributor.delivery.DeadLetter;
import io.logsdistributor.delivery.DeliveryOutcome;
import io.logsdistributor.ingest.Packet;
import io.logsdistributor.metrics.DistributorMetrics;
import io.logsdistributor.queue.QueueRelease;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
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
    /** How long a consumer waits for a delivery slot before it looks again. */
    private static final Duration SLOT_WAIT = Duration.ofMillis(50);

    private final AnalyzerRegistry analyzers;
    private final MessageShareSelector<Analyzer> selector;
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
    public MessageWeightedBalancer(AnalyzerRegistry analyzers, MessageShareSelector<Analyzer> selector, DistributorMetrics metrics,
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
        // analyzers that failed this packet (or whose breaker refused it) in the current round
        Set<Analyzer> failed = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean triedThisRound = false;
        while (attempts < maxAttempts) {
            Analyzer[] set = selector.members();
            boolean[] eligible = AnalyzerRegistry.eligibility(set);
            int pick = selector.pick(set, messages, eligible, excluded(set, failed));
            if (pick == MessageShareSelector.STALE) {
                continue;
            }
            if (pick == MessageShareSelector.ALL_EXCLUDED) {
                // every analyzer that can take traffic has failed this packet: start another round, after a
                // pause if no call was even made (breakers refusing) so that this never spins
                failed.clear();
                if (!triedThisRound) {
                    Thread.sleep(backoff(1).toMillis());
                }
                triedThisRound = false;
                continue;
            }
            if (pick == MessageShareSelector.ALL_BUSY) {
                // the analyzers that can take this packet all have their share of deliveries in flight
                if (waitedOut(waitDeadline)) {
                    break;
                }
                selector.awaitSlot(SLOT_WAIT);
                continue;
            }
            if (pick < 0) {
                Duration left = Duration.ofNanos(Math.max(0, waitDeadline - System.nanoTime()));
                if (analyzers.awaitEligible(left)) {
                    continue;
                }
                break;
            }
            Analyzer analyzer = set[pick];
            lastAnalyzer = analyzer.id();
            long start = System.nanoTime();
            DeliveryOutcome outcome;
            try {
                outcome = attempt(send, exchange, analyzer);
            } catch (RuntimeException e) {
                // the slot the pick took must come back whatever happens
                selector.refund(analyzer, messages);
                throw e;
            }
            if (outcome.kind() == DeliveryOutcome.Kind.DELIVERED) {
                selector.finished(analyzer);
                metrics.delivered(analyzer, messages, System.nanoTime() - start, attempts > 0 || !failed.isEmpty());
                exchange.setProperty(ANALYZER, analyzer.key());
                return;
            }
            selector.refund(analyzer, messages);
            failed.add(analyzer);
            if (outcome.kind() == DeliveryOutcome.Kind.NOT_PERMITTED) {
                // no call was made (open, or half-open without a trial left): not an attempt, try another
                continue;
            }
            attempts++;
            triedThisRound = true;
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

    /** One call to one analyzer, on a fresh copy of the exchange so that no answer leaks into the next. */
    private static DeliveryOutcome attempt(AsyncProcessor send, Exchange exchange, Analyzer analyzer) {
        Exchange attempt = ExchangeHelper.createCopy(exchange, true);
        attempt.setProperty(ANALYZER, analyzer.key());
        analyzer.deliveryStarted();
        try {
            send.process(attempt);
        } catch (Exception e) {
            attempt.setException(e);
        } finally {
            analyzer.deliveryEnded();
        }
        return DeliveryOutcome.of(attempt);
    }

    private static boolean[] excluded(Analyzer[] set, Set<Analyzer> failed) {
        boolean[] exclude = new boolean[set.length];
        if (!failed.isEmpty()) {
            for (int i = 0; i < set.length; i++) {
                exclude[i] = failed.contains(set[i]);
            }
        }
        return exclude;
    }

    private static boolean waitedOut(long deadline) {
        return System.nanoTime() - deadline > 0;
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

    /** initial × 2^(attempt−1), capped: the first retry is quick, a fleet-wide outage is not hammered. */
    Duration backoff(int attempt) {
        long millis = backoffInitial.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, backoffMax.toMillis()));
    }
}
