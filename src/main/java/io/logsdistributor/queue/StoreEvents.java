package io.logsdistributor.queue;

/** What the queue store reports to metrics: fsyncs, recovery, damage and write failures. */
public interface StoreEvents {

    StoreEvents NONE = new StoreEvents() {
    };

    /** One fsync of a journal file, and how long it took. */
    default void fsynced(long nanos) {
    }

    /** Packets found in the journal at start, to be delivered again. */
    default void recovered(int packets) {
    }

    /** Damaged records skipped at start (torn writes, bit rot). */
    default void corrupt(int records) {
    }

    /** A packet that could not be recorded: the store refuses packets until it can write again. */
    default void storageError() {
    }
}
