package io.logsdistributor.delivery;

import io.logsdistributor.balance.MessageWeightedBalancer;
import io.logsdistributor.logging.SafeLog;
import io.logsdistributor.metrics.DistributorMetrics;
import io.logsdistributor.queue.PacketQueue;
import io.logsdistributor.queue.QueueRelease;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the dead letter the balancer left on the exchange to the store, counts and logs it. A dead
 * letter that cannot be written (disk full, read-only) is never dropped: its packet stays queued (in the
 * journal, with a disk queue) and the write is tried again by {@link #retryPending}.
 */
public final class DeadLetterRecorder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRecorder.class);

    private final DeadLetterStore store;
    private final DistributorMetrics metrics;
    private final PacketQueue queue;
    /** dead letters whose write failed; bounded, since each one's packet still counts against the queue */
    private final List<DeadLetter> pending = new ArrayList<>();

    public DeadLetterRecorder(DeadLetterStore store, DistributorMetrics metrics, PacketQueue queue) {
        this.store = store;
        this.metrics = metrics;
        this.queue = queue;
    }

    @Override
    public void process(Exchange exchange) {
        DeadLetter letter = exchange.getProperty(MessageWeightedBalancer.DEAD_LETTER, DeadLetter.class);
        if (!record(letter)) {
            exchange.setProperty(QueueRelease.KEEP, true);
        }
    }

    /** @return true when the dead letter is stored; false when it was parked to be written later */
    public boolean record(DeadLetter letter) {
        if (!write(letter, true)) {
            synchronized (pending) {
                pending.add(letter);
            }
            return false;
        }
        return true;
    }

    private boolean write(DeadLetter letter, boolean firstTry) {
        try {
            store.store(letter);
        } catch (UncheckedIOException e) {
            metrics.deadLetterWriteFailed();
            if (firstTry) {
                LOG.error("Packet {} from {} could not be dead-lettered, it stays queued and is tried again: {}",
                        SafeLog.escape(letter.packet().packetId()), SafeLog.escape(letter.packet().agentId()),
                        SafeLog.escape(e.getMessage()));
            }
            return false;
        }
        metrics.deadLettered(letter.reason());
        LOG.warn("Packet {} from {} ({} messages) dead-lettered after {} attempts: {} ({})",
                SafeLog.escape(letter.packet().packetId()), SafeLog.escape(letter.packet().agentId()),
                letter.packet().messageCount(), letter.attempts(), letter.reason(), SafeLog.escape(letter.detail()));
        return true;
    }

    /** Tries the dead letters whose write failed again; those written leave the queue. Run by a timer route. */
    public void retryPending() {
        List<DeadLetter> retry;
        synchronized (pending) {
            if (pending.isEmpty()) {
                return;
            }
            retry = new ArrayList<>(pending);
            pending.clear();
        }
        for (int i = 0; i < retry.size(); i++) {
            if (write(retry.get(i), false)) {
                queue.release(retry.get(i).packet());
            } else {
                // still not writable: the others wait for the next round rather than fail one by one
                synchronized (pending) {
                    pending.addAll(retry.subList(i, retry.size()));
                }
                return;
            }
        }
    }

    /** Dead letters waiting for the dead-letter store to be writable again. */
    public int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }
}
