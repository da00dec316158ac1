package io.logsdistributor.metrics;

import io.logsdistributor.queue.JournalStore;
import io.logsdistributor.queue.KafkaStore;
import io.logsdistributor.queue.PacketQueue;
import io.logsdistributor.queue.StoreEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The queue store's meters: what the journal holds, how long fsyncs take, what a start recovered or
 * found damaged, and how often records could not be written. Created before the store, which reports
 * to it; the gauges are bound once the queue exists.
 */
public final class QueueMeters implements StoreEvents {

    private final MeterRegistry registry;
    private final Timer fsync;
    private final Counter recovered;
    private final Counter corrupt;
    private final Counter storageErrors;

    public QueueMeters(MeterRegistry registry) {
        this.registry = registry;
        fsync = Timer.builder("distributor.journal.fsync").description("fsyncs of queue journal files")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        recovered = Counter.builder("distributor.recovered.packets")
                .description("Packets found in the queue journal at start and delivered again").register(registry);
        corrupt = Counter.builder("distributor.journal.corrupt.records")
                .description("Damaged queue journal records skipped at start (torn writes)").register(registry);
        storageErrors = Counter.builder("distributor.storage.errors")
                .description("Packets refused because the queue store (journal or Kafka) could not record them").register(registry);
    }

    /** Gauges of the queue: packets and bytes it holds, and with a journal its footprint and state. */
    public void bind(PacketQueue queue) {
        Gauge.builder("distributor.journal.records", queue, PacketQueue::packets)
                .description("Packets recorded in the queue store: waiting and in flight").register(registry);
        Gauge.builder("distributor.storage.available", queue, q -> q.store().available() ? 1 : 0)
                .description("1 while the queue store can record packets").register(registry);
        if (queue.store() instanceof JournalStore journal) {
            Gauge.builder("distributor.journal", journal, JournalStore::diskBytes).baseUnit("bytes")
                    .description("Bytes of queue journal files on disk, reclaimable space included").register(registry);
        }
        if (queue.store() instanceof KafkaStore kafka) {
            Gauge.builder("distributor.kafka.partitions", kafka, KafkaStore::partitions)
                    .description("Partitions of the Kafka topic this replica consumes").register(registry);
            Gauge.builder("distributor.kafka.unfinished.packets", kafka, KafkaStore::unfinished)
                    .description("Packets taken from Kafka and not yet delivered or dead-lettered: their offsets are not "
                            + "committed").register(registry);
        }
    }

    @Override
    public void fsynced(long nanos) {
        fsync.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void recovered(int packets) {
        recovered.increment(packets);
    }

    @Override
    public void corrupt(int records) {
        corrupt.increment(records);
    }

    @Override
    public void storageError() {
        storageErrors.increment();
    }

    public long recoveredPackets() {
        return (long) recovered.count();
    }

    public long corruptRecords() {
        return (long) corrupt.count();
    }

    public long storageErrors() {
        return (long) storageErrors.count();
    }

    public long fsyncs() {
        return fsync.count();
    }
}
