package io.logsdistributor.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A trickle of packets of 1 to 8 messages for the status page to show, until closed; survives a restart. */
final class StatusTraffic implements AutoCloseable {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "status-traffic");
        thread.setDaemon(true);
        return thread;
    });
    private final URI ingest;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();

    StatusTraffic(URI ingest, Duration gap) {
        this.ingest = ingest;
        sender.scheduleWithFixedDelay(this::sendOne, 0, gap.toMillis(), TimeUnit.MILLISECONDS);
    }

    long accepted() {
        return accepted.get();
    }

    private void sendOne() {
        long n = sent.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(ingest).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RunningDistributor.packet("status-" + n, 1 + (int) (n % 8))))
                .build();
        try {
            if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 202) {
                accepted.incrementAndGet();
            }
        } catch (IOException e) {
            // the distributor is restarting: the next packet tries again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        sender.shutdownNow();
        sender.awaitTermination(10, TimeUnit.SECONDS);
    }
}
