package io.logsdistributor.queue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The queue between ingest and delivery: where it lives ({@code disk} journal, {@code memory}, or a
 * {@code kafka} topic the replicas share), how durable its records are, and its bounds in packets and
 * bytes, beyond which ingest answers 503. {@code kafka} is null unless the store is Kafka.
 */
public record QueueSettings(
        Store store,
        Path dir,
        FsyncPolicy fsync,
        Duration fsyncInterval,
        int capacity,
        long maxBytes,
        int maxRecordBytes,
        KafkaSettings kafka) {

    /** Where queued packets are kept. */
    public enum Store { DISK, MEMORY, KAFKA }

    public QueueSettings(Store store, Path dir, FsyncPolicy fsync, Duration fsyncInterval, int capacity, long maxBytes,
            int maxRecordBytes) {
        this(store, dir, fsync, fsyncInterval, capacity, maxBytes, maxRecordBytes, null);
    }

    public boolean durable() {
        return store != Store.MEMORY;
    }
}
