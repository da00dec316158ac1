package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logsdistributor.demo.DemoAnalyzer;
import io.logsdistributor.it.RawHttp.Exchange;
import io.logsdistributor.it.RawHttp.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 with the packaged jar: from before the port opens until after the process exited on
 * SIGTERM, 16 clients posting valid packets in a loop get 202 or 503 with Retry-After, never a 404, a
 * 500 or a connection closed without an answer (connection refused while nothing listens is fine),
 * three starts in a row; readiness is DOWN whenever ingest says starting or shutting down.
 */
class StartupGateIT {

    private static final int POSTERS = 16;
    private static final int STARTS = 3;
    private static final Set<String> UNAVAILABLE = Set.of("starting", "shutting_down", "queue_full", "no_analyzer_available",
            "overloaded");
    private static final Pattern ERROR = Pattern.compile("\"error\":\"([a-z_]+)\"");
    /** How close to the first refused connection a reset counts as the port closing. */
    private static final Duration AT_PORT_CLOSE = Duration.ofMillis(100);

    @TempDir
    Path dir;

    @Test
    void everyAnswerWhileStartingAndStoppingIs202Or503WithRetryAfter() throws Exception {
        Map<String, Integer> total = new TreeMap<>();
        try (Fleet fleet = new Fleet(0.5, 0.5)) {
            // slow analyzers keep packets queued: SIGTERM then has a queue to drain while clients keep posting
            fleet.analyzers.forEach(a -> a.control(DemoAnalyzer.Mode.SLOW, 50));
            Path analyzers = fleet.writeAnalyzersFile(dir);
            for (int start = 1; start <= STARTS; start++) {
                Map<String, Integer> tally = startPostAndTerminate(analyzers, start);
                System.out.println("start " + start + ": " + tally);
                tally.forEach((answer, n) -> total.merge(answer, n, Integer::sum));
            }
        }
        System.out.println("all starts: " + total);
        // the shutdown window was really hit. The start-up window is as well when a request reaches the
        // port before the routes are up; on a cold JVM the first request may take longer than the routes
        // take to start (LifecycleGateTest covers the answers while starting)
        assertThat(total).containsKeys("503 shutting_down", "refused");
    }

    private Map<String, Integer> startPostAndTerminate(Path analyzers, int start) throws Exception {
        int port = JarProcess.freePort();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong terminatedAt = new AtomicLong(Long.MAX_VALUE);
        Map<String, Integer> tally = new TreeMap<>();
        Queue<Exchange> ingest = new ConcurrentLinkedQueue<>();
        Queue<Exchange> readiness = new ConcurrentLinkedQueue<>();
        // the posters, the readiness probe and two slow uploads
        ExecutorService clients = Executors.newFixedThreadPool(POSTERS + 3);
        for (int t = 0; t < POSTERS; t++) {
            String prefix = "s" + start + "-t" + t + "-";
            clients.execute(() -> post(port, prefix, stop, ingest));
        }
        clients.execute(() -> probeReadiness(port, stop, readiness));
        try (JarProcess jar = JarProcess.start(dir.resolve("distributor-" + start + ".log"), JarProcess.recommendedJvmFlags(),
                Map.of("ANALYZERS_FILE", analyzers.toString(), "HTTP_PORT", String.valueOf(port), "HTTP_HOST", "127.0.0.1",
                        "DISTRIBUTOR_DATA_DIR", dir.resolve("data").toString(), "DISTRIBUTOR_QUEUE_CAPACITY", "300",
                        "DISTRIBUTOR_QUEUE_CONSUMERS", "2", "DISTRIBUTOR_SHUTDOWN_TIMEOUT_S", "2"))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> count(ingest, 202) > 0);
            // well after it is ready: a few hundred more answers
            int answered = ingest.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> ingest.size() > answered + 500);

            // two clients half-way through their body when SIGTERM comes: their route stops before the body
            // is in, so the server answers them itself
            AtomicInteger uploadsStarted = new AtomicInteger();
            List<CompletableFuture<Exchange>> slowUploads = slowUploads(port, start, clients, () -> {
                uploadsStarted.incrementAndGet();
                await().atMost(Duration.ofSeconds(30)).until(() -> ingest.stream().anyMatch(e -> "shutting_down".equals(error(e))));
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> uploadsStarted.get() == 2);
            terminatedAt.set(System.nanoTime());
            jar.terminate();
            assertThat(jar.exited(Duration.ofSeconds(60))).as("exited after SIGTERM").isTrue();
            for (CompletableFuture<Exchange> slow : slowUploads) {
                Exchange upload = slow.get(30, TimeUnit.SECONDS);
                // its route's answer if the body made it before the routes began to stop, else the server's 503
                assertThat(describe(upload)).as("a body still arriving when the drain began (start %d)", start)
                        .isIn("202", "200", "503 shutting_down");
                if (upload.status() == 503) {
                    assertThat(upload.header("Retry-After")).isEqualTo("1");
                }
                tally.merge("slow upload " + describe(upload), 1, Integer::sum);
            }
            // clients went on until every one of them found the port closed
            int refusedBefore = outcomes(ingest, Outcome.REFUSED);
            await().atMost(Duration.ofSeconds(10)).until(() -> outcomes(ingest, Outcome.REFUSED) >= refusedBefore + POSTERS);
            assertThat(jar.log()).contains("Ready: the HTTP port now serves the routes", "Shutting down: refusing new packets");
        } finally {
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        long portClosed = ingest.stream().filter(e -> e.outcome() == Outcome.REFUSED && e.sentNanos() > terminatedAt.get())
                .mapToLong(Exchange::sentNanos).min().orElse(Long.MAX_VALUE);
        List<String> wrong = new ArrayList<>();
        for (Exchange exchange : ingest) {
            // a connection the kernel took but the server had not accepted yet when it closed its listening
            // socket gets a reset, as with any server: for the client the same as a refused connection
            boolean resetAsThePortClosed = exchange.outcome() == Outcome.CLOSED_WITHOUT_ANSWER && exchange.sentNanos() <= portClosed
                    && exchange.doneNanos() >= portClosed - AT_PORT_CLOSE.toNanos();
            String answer = resetAsThePortClosed ? "reset as the port closed" : describe(exchange);
            tally.merge(answer, 1, Integer::sum);
            boolean fine = exchange.outcome() == Outcome.REFUSED || resetAsThePortClosed || exchange.status() == 202
                    || (exchange.status() == 503 && exchange.header("Retry-After") != null
                    && UNAVAILABLE.contains(error(exchange)));
            if (!fine && wrong.size() < 20) {
                wrong.add(answer + " " + exchange.headers() + " " + exchange.body() + " sent "
                        + (exchange.sentNanos() - terminatedAt.get()) / 1_000_000 + " ms after SIGTERM, port closed "
                        + (portClosed - terminatedAt.get()) / 1_000_000 + " ms after SIGTERM");
            }
        }
        assertThat(wrong).as("answers other than 202, 503 + Retry-After or refused at connect (start %d)", start).isEmpty();
        assertThat(tally).containsKey("202");
        assertReadinessAgreesWithIngest(ingest, readiness, start);
        return tally;
    }

    /** Readiness never says UP while ingest says starting, nor after ingest said shutting down. */
    private static void assertReadinessAgreesWithIngest(Queue<Exchange> ingest, Queue<Exchange> readiness, int start) {
        for (Exchange probe : readiness) {
            assertThat(probe.outcome()).as("readiness probe (start %d): %s", start, probe.body())
                    .isIn(Outcome.ANSWERED, Outcome.REFUSED);
            if (probe.outcome() == Outcome.ANSWERED) {
                assertThat(probe.status()).as("readiness (start %d)", start).isIn(200, 503);
            }
        }
        long firstUpDone = readiness.stream().filter(e -> e.status() == 200).mapToLong(Exchange::doneNanos).min().orElse(Long.MAX_VALUE);
        long lastUpSent = readiness.stream().filter(e -> e.status() == 200).mapToLong(Exchange::sentNanos).max().orElse(Long.MIN_VALUE);
        long lastStartingSent = ingest.stream().filter(e -> "starting".equals(error(e))).mapToLong(Exchange::sentNanos).max()
                .orElse(Long.MIN_VALUE);
        long firstShuttingDownDone = ingest.stream().filter(e -> "shutting_down".equals(error(e))).mapToLong(Exchange::doneNanos)
                .min().orElse(Long.MAX_VALUE);
        assertThat(lastStartingSent).as("a packet sent after readiness said UP was told 'starting' (start %d)", start)
                .isLessThan(firstUpDone);
        assertThat(lastUpSent).as("readiness said UP to a probe sent after ingest said 'shutting_down' (start %d)", start)
                .isLessThan(firstShuttingDownDone);
        assertThat(readiness).as("readiness was UP at some point (start %d)", start).anyMatch(e -> e.status() == 200);
    }

    /** POST /ingest and GET /health, each with a body sent in two halves around {@code pause}. */
    private static List<CompletableFuture<Exchange>> slowUploads(int port, int start, ExecutorService threads, Runnable pause) {
        String packet = RunningDistributor.packet("slow-" + start, 2);
        byte[][] requests = {RawHttp.post("/ingest", packet, Map.of()),
            ("GET /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + packet.length() + "\r\n\r\n" + packet)
                    .getBytes(StandardCharsets.US_ASCII)};
        List<CompletableFuture<Exchange>> uploads = new ArrayList<>();
        for (byte[] request : requests) {
            uploads.add(CompletableFuture.supplyAsync(() -> {
                try (RawHttp http = new RawHttp("127.0.0.1", port, Duration.ofSeconds(30))) {
                    return http.send(request, request.length - 20, pause);
                }
            }, threads));
        }
        return uploads;
    }

    private static void post(int port, String prefix, AtomicBoolean stop, Queue<Exchange> answers) {
        try (RawHttp http = new RawHttp("127.0.0.1", port, Duration.ofSeconds(10))) {
            for (int n = 0; !stop.get(); n++) {
                Exchange exchange = http.send(RawHttp.post("/ingest", RunningDistributor.packet(prefix + n, 2), Map.of()));
                answers.add(exchange);
                if (exchange.outcome() == Outcome.REFUSED) {
                    // nothing listens yet (or any more): do not spin on connect
                    LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                }
            }
        }
    }

    private static void probeReadiness(int port, AtomicBoolean stop, Queue<Exchange> answers) {
        try (RawHttp http = new RawHttp("127.0.0.1", port, Duration.ofSeconds(10))) {
            while (!stop.get()) {
                answers.add(http.send(RawHttp.get("/observe/health/ready")));
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }
        }
    }

    private static String describe(Exchange exchange) {
        return switch (exchange.outcome()) {
            case ANSWERED -> exchange.status() == 503 ? "503 " + error(exchange) : String.valueOf(exchange.status());
            case REFUSED -> "refused";
            case CLOSED_WITHOUT_ANSWER -> "closed without answer";
            case TIMED_OUT -> "timed out";
        };
    }

    private static String error(Exchange exchange) {
        Matcher matcher = ERROR.matcher(exchange.body());
        return matcher.find() ? matcher.group(1) : null;
    }

    private static int count(Queue<Exchange> exchanges, int status) {
        return (int) exchanges.stream().filter(e -> e.status() == status).count();
    }

    private static int outcomes(Queue<Exchange> exchanges, Outcome outcome) {
        return (int) exchanges.stream().filter(e -> e.outcome() == outcome).count();
    }
}
