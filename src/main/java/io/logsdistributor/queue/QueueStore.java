package io.logsdistributor.queue;

import io.logsdistributor.ingest.Packet;
import java.util.List;

/**
 * Where queued packets live until an analyzer confirmed them or they are in the dead-letter store:
 * in memory, or in a journal on disk that survives a crash of the process. The one seam between the
 * SEDA queue's bounds ({@link PacketQueue}) and how durable a queued packet is.
 */
public interface QueueStore extends AutoCloseable {

    /**
     * Records a packet before it is accepted; returns once the record is as safe as the store promises
     * (journal: handed to the operating system, or fsynced under {@link FsyncPolicy#ALWAYS}).
     *
     * @return the record's id, which {@link #remove} takes
     * @throws StorageUnavailableException when it cannot be recorded: the packet must be refused
     */
    long append(Packet packet);

    /** The packet left the queue (delivered, or safely dead-lettered): it must not come back after a restart. */
    void remove(long record);

    /** The packets a previous run left, oldest first, each with its record id; called once, before traffic. */
    List<Packet> recover();

    /** True when a crash of the process keeps what {@link #append} recorded. */
    boolean durable();

    /** False while records cannot be written; {@link #append} then refuses at once. */
    boolean available();

    /** Why {@link #available} is false, for readiness and logs; null while available. */
    String unavailableReason();

    /**
     * True when accepted packets reach the queue through the store rather than at their offer: a Kafka topic
     * that all replicas share, from which each replica's consumers take their partitions' packets.
     */
    default boolean shared() {
        return false;
    }

    /** The shutdown's drain started: take no more packets from a shared store. */
    default void stopIntake() {
    }

    @Override
    void close();
}
