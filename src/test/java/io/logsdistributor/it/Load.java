package io.logsdistributor.it;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;

/** Sends a bounded number of packets from a few threads and tallies the answers. */
final class Load {

    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final Set<String> acceptedIds = ConcurrentHashMap.newKeySet();
    final AtomicLong acceptedMessages = new AtomicLong();
    final AtomicInteger retryAfterMissing = new AtomicInteger();

    static Load send(RunningDistributor distributor, String prefix, int packets, int threads, IntUnaryOperator sizes)
            throws InterruptedException {
        Load load = new Load();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                for (int i = next.getAndIncrement(); i < packets; i = next.getAndIncrement()) {
                    load.sendOne(distributor, prefix + "-" + i, sizes.applyAsInt(i));
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
            pool.shutdownNow();
            throw new IllegalStateException("load did not finish in 5 minutes");
        }
        return load;
    }

    void sendOne(RunningDistributor distributor, String id, int messages) {
        try {
            HttpResponse<String> response = distributor.post(RunningDistributor.packet(id, messages));
            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
            if (response.statusCode() == 202) {
                acceptedIds.add(id);
                acceptedMessages.addAndGet(messages);
            } else if ((response.statusCode() == 503 || response.statusCode() == 429)
                    && response.headers().firstValue("Retry-After").isEmpty()) {
                retryAfterMissing.incrementAndGet();
            }
        } catch (Exception e) {
            statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
        }
    }

    int count(int status) {
        AtomicInteger n = statuses.get(status);
        return n == null ? 0 : n.get();
    }
}
