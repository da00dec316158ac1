package io.logsdistributor.queue;

import io.logsdistributor.ingest.Packet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** {@code distributor.queue.store=memory}: the fastest, and a crash of the process loses the queue. */
public final class MemoryStore implements QueueStore {

    private final AtomicLong ids = new AtomicLong();

    @Override
    public long append(Packet packet) {
        return ids.incrementAndGet();
    }

    @Override
    public void remove(long record) {
        // nothing was written
    }

    @Override
    public List<Packet> recover() {
        return List.of();
    }

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
