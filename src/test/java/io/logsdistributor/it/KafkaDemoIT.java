package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * demo-kafka.sh as a user runs it (README, "Kafka: replicas sharing one queue"): broker, demo analyzers and
 * two replicas from one command; packets accepted by either replica reach the analyzers; SIGTERM leaves
 * nothing running.
 */
class KafkaDemoIT {

    private static final Path SCRIPT = Path.of("demo-kafka.sh").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PACKETS = 300;
    /** distributor.kafka.partitions, the default the script leaves in place. */
    private static final int PARTITIONS = 12;

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void oneCommandRunsReplicasSharingOneQueueAndSigtermStopsEverything() throws Exception {
        List<Integer> ports = freePorts(7);
        int kafka = ports.get(0);
        int controller = ports.get(1);
        List<Integer> replicas = ports.subList(2, 4);
        List<Integer> analyzers = ports.subList(4, 7);
        Path analyzersFile = Files.writeString(dir.resolve("analyzers.yaml"), "analyzers:\n"
                + analyzer("analyzer-1", analyzers.get(0), 0.5)
                + analyzer("analyzer-2", analyzers.get(1), 0.3)
                + analyzer("analyzer-3", analyzers.get(2), 0.2));
        // kept after the run (the temporary directory is not): what a failure in CI is diagnosed from
        Path output = Files.createDirectories(Path.of("target", "kafka-demo-it")).resolve("demo-kafka.log");

        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("DISTRIBUTOR_"));
        env.putAll(Map.of("JAVA_HOME", System.getProperty("java.home"), "DEMO_BUILD", "0",
                "KAFKA_PORT", String.valueOf(kafka), "KAFKA_CONTROLLER_PORT", String.valueOf(controller),
                "REPLICA_PORTS", replicas.get(0) + " " + replicas.get(1),
                "ANALYZERS_FILE", analyzersFile.toString(), "DEMO_DIR", dir.resolve("demo").toString(),
                "HTTP_HOST", "127.0.0.1", "STOP_TIMEOUT_S", "15"));
        Process script = builder.start();
        script.getOutputStream().close();
        Set<ProcessHandle> started = new HashSet<>();
        try {
            waitFor(Duration.ofSeconds(120), () -> "both replicas ready with their analyzers", script, output,
                    () -> replicas.stream().allMatch(port -> status(port, "/observe/health/ready") == 200
                            && status(port, "/health") == 200));
            // Ready means a replica reaches the broker; the group may still be moving partitions to the second
            // one, and a packet in a partition on the move waits for that (redelivery is not what this tests).
            waitFor(Duration.ofSeconds(60), () -> "the topic's " + PARTITIONS + " partitions split between both replicas"
                    + " (they hold " + replicas.stream().map(port -> partitions(port) + " on :" + port).toList() + ")",
                    script, output, () -> replicas.stream().allMatch(port -> partitions(port) > 0)
                            && replicas.stream().mapToLong(this::partitions).sum() == PARTITIONS);
            script.toHandle().descendants().forEach(started::add);
            assertThat(started.stream().filter(p -> p.info().command().orElse("").endsWith("java")))
                    .as("the broker, the demo analyzers and the two replicas").hasSizeGreaterThanOrEqualTo(4);

            Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
            AtomicLong acceptedMessages = new AtomicLong();
            post(replicas, answers, acceptedMessages);
            int accepted = count(answers, 202);
            assertThat(accepted).as("answers by status: %s", answers).isEqualTo(PACKETS);

            // At-least-once: a rebalance in the consumer group may deliver a packet twice, never lose one.
            waitFor(Duration.ofSeconds(30), () -> accepted + " accepted packets at the analyzers (they have "
                    + sum(analyzers, "/stats", "packets") + "; the replicas delivered "
                    + sum(replicas, "/stats", "totals", "delivered") + ")", script, output,
                    () -> sum(analyzers, "/stats", "packets") >= accepted);
            assertThat(sum(analyzers, "/stats", "messages")).isGreaterThanOrEqualTo(acceptedMessages.get());
            assertThat(sum(replicas, "/stats", "totals", "delivered")).isGreaterThanOrEqualTo(accepted);
            for (int port : replicas) {
                assertThat(json(port, "/stats").path("totals").path("delivered").asLong())
                        .as("packets delivered by the replica on :%d, which holds some of the partitions", port)
                        .isPositive();
            }

            script.destroy();
            assertThat(script.waitFor(60, TimeUnit.SECONDS)).as("the script exits within 60 s of SIGTERM").isTrue();
            assertThat(script.exitValue()).isZero();
            for (ProcessHandle process : started) {
                try {
                    process.onExit().get(10, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("still running 10 s after the script exited: pid " + process.pid() + " "
                            + process.info().commandLine().orElse(""));
                }
            }
            for (int port : ports) {
                assertThat(listening(port)).as("something still listens on port %d", port).isFalse();
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(log).containsSubsequence("stopping the replicas", "stopping the demo analyzers",
                    "stopping the Kafka broker", "demo-kafka: stopped");
            assertThat(log).doesNotContain("killing it");
        } finally {
            script.toHandle().descendants().forEach(started::add);
            started.forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
            script.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Packets from several agents, every other one to each replica, four at a time. */
    private void post(List<Integer> replicas, Map<Integer, AtomicInteger> answers, AtomicLong acceptedMessages)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < PACKETS; i++) {
            int n = i;
            pool.execute(() -> {
                int messages = 1 + n % 5;
                int status;
                try {
                    status = client.send(HttpRequest.newBuilder(uri(replicas.get(n % 2), "/ingest"))
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofString(packet("kafka-demo-" + n, "agent-" + n % 7, messages)))
                            .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException | InterruptedException e) {
                    status = -1;
                }
                answers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                if (status == 202) {
                    acceptedMessages.addAndGet(messages);
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).as("posting done within 60 s").isTrue();
    }

    private static String packet(String id, String agent, int messages) {
        StringBuilder body = new StringBuilder("{\"packet_id\":\"").append(id).append("\",\"agent_id\":\"")
                .append(agent).append("\",\"messages\":[");
        for (int i = 0; i < messages; i++) {
            body.append(i == 0 ? "" : ",").append("{\"timestamp\":\"2026-11-22T10:00:00Z\",\"level\":\"INFO\",")
                    .append("\"source\":\"kafka-demo\",\"message\":\"message ").append(i).append("\"}");
        }
        return body.append("]}").toString();
    }

    private static String analyzer(String id, int port, double weight) {
        return "  - id: " + id + "\n    url: http://127.0.0.1:" + port + "/ingest\n    weight: " + weight + "\n";
    }

    private void waitFor(Duration within, Supplier<String> what, Process script, Path output,
            BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (!script.isAlive()) {
                throw new AssertionError("demo-kafka.sh exited (" + script.exitValue() + ") while waiting for " + what.get()
                        + "; its output ends with:\n" + tail(output));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within + ": " + what.get() + "; the script's output ends with:\n"
                        + tail(output));
            }
            Thread.sleep(250);
        }
    }

    private long sum(List<Integer> ports, String path, String... field) {
        long total = 0;
        for (int port : ports) {
            JsonNode node = json(port, path);
            for (String name : field) {
                node = node.path(name);
            }
            total += node.asLong();
        }
        return total;
    }

    private long partitions(int port) {
        return json(port, "/stats").path("queue").path("kafka_partitions").asLong();
    }

    private JsonNode json(int port, String path) {
        try {
            return JSON.readTree(client.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            return JSON.missingNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.missingNode();
        }
    }

    private int status(int port, String path) {
        try {
            return client.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int count(Map<Integer, AtomicInteger> answers, int status) {
        AtomicInteger n = answers.get(status);
        return n == null ? 0 : n.get();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Distinct free ports, all held open at once so that none is handed out twice. */
    private static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
