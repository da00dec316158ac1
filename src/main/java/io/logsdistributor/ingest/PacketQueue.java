package io.logsdistributor.ingest;

import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;

/**
 * The SEDA queue between ingest and delivery, bounded in packets and in bytes: a count alone would let
 * a client queue 10,000 one-MiB packets and take the process down. An offer over either bound fails,
 * which the SEDA producer turns into "Queue full" and ingest into 503 + Retry-After.
 */
public final class PacketQueue extends ArrayBlockingQueue<Exchange> {

    /** Rough cost of a queued exchange beyond its body (headers, properties, the exchange itself). */
    static final int EXCHANGE_OVERHEAD_BYTES = 512;

    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();

    public PacketQueue(int capacity, long maxBytes) {
        super(capacity);
        this.maxBytes = maxBytes;
    }

    public long bytes() {
        return bytes.get();
    }

    public long maxBytes() {
        return maxBytes;
    }

    public int capacity() {
        return size() + remainingCapacity();
    }

    @Override
    public boolean offer(Exchange exchange) {
        long cost = cost(exchange);
        if (!reserve(cost)) {
            return false;
        }
        if (!super.offer(exchange)) {
            bytes.addAndGet(-cost);
            return false;
        }
        return true;
    }

    @Override
    public boolean offer(Exchange exchange, long timeout, TimeUnit unit) throws InterruptedException {
        long cost = cost(exchange);
        if (!reserve(cost)) {
            return false;
        }
        if (!super.offer(exchange, timeout, unit)) {
            bytes.addAndGet(-cost);
            return false;
        }
        return true;
    }

    @Override
    public void put(Exchange exchange) {
        // blocking producers would hold ingest threads; the routes never block, so neither does this
        if (!offer(exchange)) {
            throw new IllegalStateException("Queue full");
        }
    }

    @Override
    public boolean add(Exchange exchange) {
        if (!offer(exchange)) {
            throw new IllegalStateException("Queue full");
        }
        return true;
    }

    @Override
    public Exchange poll() {
        return released(super.poll());
    }

    @Override
    public Exchange poll(long timeout, TimeUnit unit) throws InterruptedException {
        return released(super.poll(timeout, unit));
    }

    @Override
    public Exchange take() throws InterruptedException {
        return released(super.take());
    }

    @Override
    public boolean remove(Object o) {
        boolean removed = super.remove(o);
        if (removed && o instanceof Exchange exchange) {
            released(exchange);
        }
        return removed;
    }

    @Override
    public int drainTo(Collection<? super Exchange> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super Exchange> c, int maxElements) {
        int n = 0;
        while (n < maxElements) {
            Exchange e = poll();
            if (e == null) {
                break;
            }
            c.add(e);
            n++;
        }
        return n;
    }

    @Override
    public void clear() {
        while (poll() != null) {
            // poll releases each one's bytes
        }
    }

    private boolean reserve(long cost) {
        while (true) {
            long current = bytes.get();
            if (current + cost > maxBytes) {
                return false;
            }
            if (bytes.compareAndSet(current, current + cost)) {
                return true;
            }
        }
    }

    private Exchange released(Exchange exchange) {
        if (exchange != null) {
            bytes.addAndGet(-cost(exchange));
        }
        return exchange;
    }

    private static long cost(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        return EXCHANGE_OVERHEAD_BYTES + (body instanceof Packet packet ? packet.body().length : 0);
    }
}
