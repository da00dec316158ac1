package io.logsdistributor.queue;

import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Which records of one Kafka partition this replica took and has not finished (delivered or in the
 * dead-letter store), so that the committed offset never passes an unfinished packet: deliveries finish
 * out of order across consumers, and a commit past an unfinished one would lose it in a crash.
 *
 * <p>{@link #taken} and {@link #commitPosition} run on the consumer's thread; {@link #finished} on any.
 */
final class PartitionProgress {

    private final ConcurrentSkipListSet<Long> unfinished = new ConcurrentSkipListSet<>();
    private volatile long next = -1;
    private long committed = -1;

    /** A record was handed to the queue. */
    void taken(long offset) {
        unfinished.add(offset);
        next = Math.max(next, offset + 1);
    }

    /** Its packet was delivered or dead-lettered; an offset taken before a rebalance is ignored. */
    void finished(long offset) {
        unfinished.remove(offset);
    }

    /**
     * The offset to commit (Kafka's next record to read), or -1 when nothing new can be committed: the
     * lowest unfinished offset, or past the last taken when all are finished.
     */
    long commitPosition() {
        long limit = next;
        if (limit < 0) {
            return -1;
        }
        // ceiling, not first(): another thread may finish the last one between two calls
        Long lowest = unfinished.ceiling(Long.MIN_VALUE);
        long position = lowest == null ? limit : Math.min(lowest, limit);
        return position > committed ? position : -1;
    }

    /** {@code position} was committed. */
    void committed(long position) {
        committed = Math.max(committed, position);
    }

    /** A commit failed: the next one covers it again. */
    void uncommitted() {
        committed = -1;
    }

    int unfinishedCount() {
        return unfinished.size();
    }
}
