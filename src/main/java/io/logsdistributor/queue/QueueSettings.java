package io.logsdistributor.queue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The queue between ingest and delivery: where it lives ({@code disk} journal or {@code memory}), how
 * durable its records are, and its bounds in packets and bytes, beyond which ingest answers 503.
 */
public record QueueSettings(
        Store store,
        Path dir,
        FsyncPolicy fsync,
        Duration fsyncInterval,
        int capacity,
        long maxBytes,
        int maxRecordBytes) {

    /** Where queued packets are kept. */
    public enum Store { DISK, MEMORY }

    public boolean durable() {
        return store == Store.DISK;
    }
}
