package io.logsdistributor.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Agents posting valid packets in a loop from several threads until stopped (or a bound in packets or
 * time is reached), recording which packets were answered 202: the ones the distributor must deliver.
 */
final class PostLoop implements AutoCloseable {

    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    /**
     * @param target the distributor to post to, looked up for every request (it may be restarted)
     */
    PostLoop(String prefix, int threadCount, int maxPackets, Duration maxTime, Supplier<JarProcess> target) {
        long deadline = System.nanoTime() + maxTime.toNanos();
        for (int t = 0; t < threadCount; t++) {
            Thread thread = new Thread(() -> {
                while (!stopped && System.nanoTime() < deadline) {
                    int n = sent.getAndIncrement();
                    if (n >= maxPackets) {
                        return;
                    }
                    String id = prefix + "-" + n;
                    try {
                        HttpResponse<String> response = target.get().post(RunningDistributor.packet(id, 1 + n % 5));
                        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        if (response.statusCode() == 202) {
                            accepted.add(id);
                        }
                    } catch (Exception e) {
                        // refused or cut off by a kill: never accepted
                        statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
                    }
                }
            }, prefix + "-poster-" + t);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    int count(int status) {
        AtomicInteger n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    /** Stops posting and waits for the requests in flight to be answered. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
