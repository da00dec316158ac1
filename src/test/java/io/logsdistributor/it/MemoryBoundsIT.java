package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 1 with the packaged jar on its recommended flags (512 MB heap, exit on OutOfMemoryError)
 * and API keys on: 2,000 connections send 1 MB bodies slowly without a key, then 2,000 with a valid key
 * stall with all but 16 bytes of their body sent (600 such connections used to take the process down
 * within 12 s). The process stays up, the heap after every collection stays far below its limit, and an
 * agent with a key gets 202 within 2 s throughout (on a shared box, one packet in twenty may be later).
 */
class MemoryBoundsIT {

    private static final String KEY = "memory-it-" + "k".repeat(40);
    private static final int CONNECTIONS = 2000;
    private static final long BODY = 1_000_000;
    private static final Duration AGENT_DEADLINE = Duration.ofSeconds(2);
    /**
     * The box these tests run on is shared: another build can stall every process on it for a moment.
     * One packet in twenty may take longer than the deadline, up to this; none may fail.
     */
    private static final Duration AGENT_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @TempDir
    Path dir;

    @Test
    void floodsOfLargeSlowBodiesWithAndWithoutAKeyLeaveTheHeapBoundedAndAgentsServed() throws Exception {
        Path keys = Files.writeString(dir.resolve("api-keys.yaml"), "keys:\n  - agent: agent-it\n    sha256: " + sha256(KEY) + "\n");
        Path gcLog = dir.resolve("gc.log");
        List<String> jvm = new ArrayList<>(JarProcess.recommendedJvmFlags());
        jvm.add("-Xlog:gc:file=" + gcLog);
        int port = JarProcess.freePort();
        try (Fleet fleet = new Fleet(1);
                JarProcess jar = JarProcess.start(dir.resolve("distributor.log"), jvm, Map.of(
                        "ANALYZERS_FILE", fleet.writeAnalyzersFile(dir).toString(), "HTTP_PORT", String.valueOf(port),
                        "HTTP_HOST", "127.0.0.1", "DISTRIBUTOR_DATA_DIR", dir.resolve("data").toString(),
                        "API_KEYS_FILE", keys.toString()))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(AGENT_TIMEOUT).build();
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                    .until(() -> post(client, port, "warm-up").statusCode() == 202);

            warmUp(port);
            try (Agent agent = new Agent(client, port)) {
                agent.start();
                Map<String, Long> withoutKey = flood(port, Map.of(), SlowBodyFlood.Mode.TRICKLE, agent);
                assertThat(withoutKey).as("every connection without a key was refused from its head")
                        .containsOnlyKeys("401", "opened", "failed to open", "closed without answer", "reset while sending its body")
                        .containsEntry("closed without answer", 0L);
                assertThat(withoutKey.get("401")).isGreaterThanOrEqualTo(CONNECTIONS);

                Map<String, Long> withKey = flood(port, Map.of("Authorization", "Bearer " + KEY), SlowBodyFlood.Mode.STALL, agent);
                assertThat(withKey).as("with a key: admitted within the body budget, the rest refused at once")
                        .containsOnlyKeys("503", "opened", "failed to open", "closed without answer", "reset while sending its body",
                                "stalled with a body")
                        .containsEntry("closed without answer", 0L);
                assertThat(withKey.get("503")).isGreaterThanOrEqualTo(CONNECTIONS / 2);

                List<Long> late = agent.latencies.stream().filter(millis -> millis > AGENT_DEADLINE.toMillis()).toList();
                System.out.println("agent: " + agent.accepted.get() + " packets accepted, the slowest in "
                        + agent.latencies.stream().mapToLong(Long::longValue).max().orElse(0) + " ms; over 2 s: " + late);
                assertThat(agent.failures).as("the agent's packets during both floods").isEmpty();
                assertThat(agent.accepted.get()).isGreaterThanOrEqualTo(40);
                assertThat(late.size()).as("packets accepted after more than 2 s: %s", late)
                        .isLessThanOrEqualTo(agent.accepted.get() / 20);
            }
            assertThat(jar.process.isAlive()).as("still running").isTrue();
            assertThat(jar.log()).as("no error logged for clients that went away").doesNotContain("OutOfMemoryError", "Unhandled exception");
        }

        int maxAfterGc = 0;
        int heap = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher matcher = GC.matcher(line);
            if (matcher.find()) {
                maxAfterGc = Math.max(maxAfterGc, Integer.parseInt(matcher.group(2)));
                heap = Math.max(heap, Integer.parseInt(matcher.group(3)));
            }
        }
        System.out.println("heap after collections: at most " + maxAfterGc + " MB of " + heap + " MB");
        assertThat(heap).as("a collection was logged").isPositive();
        // the live data (bodies within the 64 MiB budget, connections, the app itself) stays far below the limit
        assertThat(maxAfterGc).isLessThan(heap * 3 / 4);
    }

    /** 2,000 connections, for as long as the agent needs for 20 packets and until as many connections met the defence. */
    private static Map<String, Long> flood(int port, Map<String, String> headers, SlowBodyFlood.Mode mode, Agent agent)
            throws Exception {
        int before = agent.answered.get();
        Map<String, Long> endings;
        int reached;
        try (SlowBodyFlood flood = new SlowBodyFlood(port, CONNECTIONS, "/ingest", BODY, headers, mode).start()) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> agent.answered.get() >= before + 20 && flood.settled() >= CONNECTIONS);
            reached = flood.maxOpen();
            endings = flood.answers();
            if (mode == SlowBodyFlood.Mode.STALL) {
                assertThat(flood.stalledWithBody()).as("connections the server let send their body").isPositive();
                endings.put("stalled with a body", flood.stalledWithBody());
            }
        }
        // one flood after the other: the server has closed this one's connections before the next starts
        int after = agent.answered.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.answered.get() >= after + 3);
        System.out.println(mode + " " + headers.keySet() + ": at most " + reached + " connections open at once; " + endings);
        assertThat(reached).as("connections open at once").isGreaterThanOrEqualTo(CONNECTIONS / 2);
        return endings;
    }

    /**
     * A small flood of each kind first, so that the floods measured meet the server's refusal paths
     * compiled (as a server that has run a while has them), not interpreted.
     */
    private static void warmUp(int port) throws Exception {
        for (SlowBodyFlood.Mode mode : SlowBodyFlood.Mode.values()) {
            Map<String, String> headers = mode == SlowBodyFlood.Mode.TRICKLE ? Map.of() : Map.of("Authorization", "Bearer " + KEY);
            try (SlowBodyFlood flood = new SlowBodyFlood(port, 300, "/ingest", BODY, headers, mode).start()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> flood.settled() >= 300);
            }
        }
    }

    private static HttpResponse<String> post(HttpClient client, int port, String id) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ingest")).timeout(AGENT_TIMEOUT)
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(RunningDistributor.packet(id, 5))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** An agent with a key posting one packet every 200 ms: anything but a 202 is a failure, and how long each took counts. */
    private static final class Agent implements AutoCloseable {

        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        final Queue<Long> latencies = new ConcurrentLinkedQueue<>();
        private final HttpClient client;
        private final int port;
        private final Thread thread;
        private volatile boolean running = true;

        Agent(HttpClient client, int port) {
            this.client = client;
            this.port = port;
            this.thread = new Thread(this::run, "agent");
        }

        void start() {
            thread.start();
        }

        private void run() {
            for (int n = 0; running; n++) {
                long start = System.nanoTime();
                try {
                    HttpResponse<String> response = post(client, port, "agent-" + n);
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    latencies.add(millis);
                    if (response.statusCode() != 202) {
                        failures.add(response.statusCode() + " after " + millis + " ms: " + response.body());
                    } else {
                        accepted.incrementAndGet();
                    }
                } catch (IOException e) {
                    failures.add(e + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
                } catch (InterruptedException e) {
                    return;
                }
                answered.incrementAndGet();
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }
    }
}
