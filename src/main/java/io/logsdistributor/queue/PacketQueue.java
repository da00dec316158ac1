package io.logsdistributor.queue;

import io.logsdistributor.ingest.Packet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

/**
 * The SEDA queue between ingest and delivery ({@code #packetQueue}), bounded in packets and in bytes,
 * with its packets recorded in a {@link QueueStore} (a journal on disk, or memory).
 *
 * <p>With a {@linkplain QueueStore#shared shared} store (a Kafka topic) an offer only records the packet
 * there; this replica's queue is filled by the store ({@link #admit}) with the packets of its partitions,
 * whichever replica accepted them.
 *
 * <p>A packet counts against the bounds from its offer until it leaves the store ({@link #release}:
 * delivered or dead-lettered), so that deliveries in flight and the journal are bounded too. An offer
 * over either bound fails, which the SEDA producer turns into "Queue full" and ingest into 503 +
 * Retry-After; a store that cannot write throws {@link StorageUnavailableException} (503
 * storage_unavailable). A count alone would let a client queue 10,000 one-MiB packets.
 */
public final class PacketQueue extends LinkedBlockingQueue<Exchange> {

    /** Rough cost of a queued exchange beyond its body (headers, properties, the exchange itself). */
    static final int EXCHANGE_OVERHEAD_BYTES = 512;

    private final int capacity;
    private final long maxBytes;
    private final QueueStore store;
    private final AtomicInteger packets = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    public PacketQueue(int capacity, long maxBytes, QueueStore store) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.store = store;
    }

    /** A queue in memory only, for tests of what surrounds it. */
    public PacketQueue(int capacity, long maxBytes) {
        this(capacity, maxBytes, new MemoryStore());
    }

    public QueueStore store() {
        return store;
    }

    /** Packets accepted and not yet delivered or dead-lettered: waiting and in flight. */
    public int packets() {
        return packets.get();
    }

    public long bytes() {
        return bytes.get();
    }

    public long maxBytes() {
        return maxBytes;
    }

    public int capacity() {
        return capacity;
    }

    @Override
    public int remainingCapacity() {
        return Math.max(0, capacity - packets.get());
    }

    @Override
    public boolean offer(Exchange exchange) {
        Packet packet = exchange.getMessage().getBody(Packet.class);
        if (store.shared()) {
            // accepted once the shared store has it; it comes back to some replica's queue through admit
            store.append(packet);
            return true;
        }
        long cost = cost(packet);
        if (!reserve(cost)) {
            return false;
        }
        try {
            exchange.getMessage().setBody(packet.stored(store.append(packet)));
        } catch (RuntimeException e) {
            unreserve(cost);
            throw e;
        }
        return super.offer(exchange);
    }

    @Override
    public boolean offer(Exchange exchange, long timeout, TimeUnit unit) {
        // blocking producers would hold ingest threads; the routes never block, so neither does this
        return offer(exchange);
    }

    @Override
    public void put(Exchange exchange) {
        add(exchange);
    }

    @Override
    public boolean add(Exchange exchange) {
        if (!offer(exchange)) {
            throw new IllegalStateException("Queue full");
        }
        return true;
    }

    /**
     * Puts back what a previous run left in the store, before any traffic: these count against the
     * bounds like new packets (new ones get 503 while the recovered fill the queue), and are not
     * recorded again.
     *
     * @return how many were recovered
     */
    public int recover(CamelContext context) {
        List<Packet> left = store.recover();
        for (Packet packet : left) {
            packets.incrementAndGet();
            bytes.addAndGet(cost(packet));
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setBody(packet);
            super.offer(exchange);
        }
        return left.size();
    }

    /**
     * A packet from a shared store (already recorded there) joins this replica's queue. It counts against
     * the bounds, which the store respects by pausing its intake rather than by a refusal here.
     */
    public void admit(Exchange exchange) {
        Packet packet = exchange.getMessage().getBody(Packet.class);
        packets.incrementAndGet();
        bytes.addAndGet(cost(packet));
        super.offer(exchange);
    }

    /**
     * Takes out the waiting packets whose records match (a shared store's partitions that moved to another
     * replica, which will deliver them); packets already being delivered are not affected.
     */
    public void drop(LongPredicate record) {
        List<Packet> dropped = new ArrayList<>();
        removeIf(exchange -> {
            Packet packet = exchange.getMessage().getBody(Packet.class);
            if (record.test(packet.record())) {
                dropped.add(packet);
                return true;
            }
            return false;
        });
        dropped.forEach(packet -> unreserve(cost(packet)));
    }

    /** The packet left the queue for good (delivered, or in the dead-letter store): its record goes too. */
    public void release(Packet packet) {
        store.remove(packet.record());
        unreserve(cost(packet));
    }

    private boolean reserve(long cost) {
        while (true) {
            int count = packets.get();
            if (count >= capacity) {
                return false;
            }
            if (packets.compareAndSet(count, count + 1)) {
                break;
            }
        }
        while (true) {
            long current = bytes.get();
            if (current + cost > maxBytes) {
                packets.decrementAndGet();
                return false;
            }
            if (bytes.compareAndSet(current, current + cost)) {
                return true;
            }
        }
    }

    private void unreserve(long cost) {
        packets.decrementAndGet();
        bytes.addAndGet(-cost);
    }

    private static long cost(Packet packet) {
        return EXCHANGE_OVERHEAD_BYTES + packet.body().length;
    }
}
