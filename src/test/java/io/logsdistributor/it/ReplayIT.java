package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.logsdistributor.delivery.DeadLetter;
import io.logsdistributor.delivery.DeadLetterStore;
import io.logsdistributor.demo.DemoAnalyzer;
import io.logsdistributor.ingest.Packet;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar logs-distributor.jar replay} as a process against a running distributor with API
 * keys on and agent binding on: killed half-way and run again, a corrupt line, a 503 waited out,
 * and every agent's dead letters replayed with an operator key.
 */
class ReplayIT {

    private static final Path JAR = Path.of("target", "logs-distributor.jar").toAbsolutePath();
    private static final String OPERATOR_KEY = "operator-" + "o".repeat(40);
    /** An operator key limited to 4 packets/s per agent: the distributor answers 429 and the replay crawls. */
    private static final String SLOW_OPERATOR_KEY = "slow-operator-" + "s".repeat(40);
    private static final String AGENT_X_KEY = "agent-x-" + "x".repeat(40);

    @TempDir
    static Path dir;
    private static Fleet fleet;
    private static RunningDistributor distributor;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        fleet = new Fleet(1.0);
        Path keys = Files.writeString(dir.resolve("api-keys.yaml"), "keys:\n"
                + "  - role: operator\n    sha256: " + sha256(OPERATOR_KEY) + "\n"
                + "  - role: operator\n    sha256: " + sha256(SLOW_OPERATOR_KEY) + "\n    rate: {packets-per-second: 4}\n"
                + "  - agent: agent-x\n    sha256: " + sha256(AGENT_X_KEY) + "\n");
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"),
                Map.of("distributor.api-keys-file", keys.toString(), "distributor.auth.bind-agent", "true"));
        await().atMost(Duration.ofSeconds(10)).until(() -> distributor.get("/health").statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        distributor.close();
        fleet.close();
    }

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void aReplayKilledHalfWayAndRunAgainGetsEveryPacketAcceptedOnceButAtMostTheOneInFlight() throws Exception {
        List<String> ids = IntStream.range(0, 24).mapToObj(i -> "kill-" + i).toList();
        Path file = deadLetters("kill", ids.stream().map(id -> packet(id, "agent-kill")).toArray(byte[][]::new));
        long acceptedBefore = accepted();
        long deliveredBefore = fleet.totalPackets();

        Process first = replay(file, "first", SLOW_OPERATOR_KEY);
        await().atMost(Duration.ofSeconds(30)).until(() -> received(ids).size() >= 8);
        assertThat(first.isAlive()).as("still replaying when killed").isTrue();
        first.destroyForcibly();
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(received(ids).size()).as("killed half-way").isLessThan(ids.size());

        Process second = replay(file, "second", SLOW_OPERATOR_KEY);
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(second.exitValue()).as(output("second")).isZero();
        assertThat(output("second")).contains("resuming after line");
        await().atMost(Duration.ofSeconds(10)).until(() -> received(ids).size() == ids.size());
        // 24 packets, plus at most the one the kill caught between its 202 and the recorded progress
        assertThat(accepted() - acceptedBefore).isBetween(24L, 25L);
        await().atMost(Duration.ofSeconds(10)).until(() -> queueDepth() == 0);
        assertThat(fleet.totalPackets() - deliveredBefore).isBetween(24L, 25L);
        assertThat(remaining(file)).doesNotExist();
    }

    @Test
    void aCorruptLineIsReportedAndKeptWhileTheOtherLinesAreReplayed() throws Exception {
        Path file = deadLetters("corrupt", packet("corrupt-1", "agent-c"));
        String torn = "{\"time\":\"2026-11-22T10:00:00Z\",\"reason\":\"delivery_failed\",\"packet\":{\"packet_id\":\"corr";
        Files.writeString(file, torn + "\n", StandardOpenOption.APPEND);
        new DeadLetterStore(file.getParent(), Clock.systemUTC()).store(letter(packet("corrupt-3", "agent-c")));

        Process process = replay(file, "corrupt", OPERATOR_KEY);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as("some lines remain").isEqualTo(1);
        assertThat(output("corrupt")).contains("line 2: unreadable, kept: not valid JSON")
                .contains("3 lines, 2 accepted, 0 kept, 1 unreadable");
        assertThat(Files.readAllLines(remaining(file))).containsExactly(torn);
        await().atMost(Duration.ofSeconds(10)).until(() -> received(List.of("corrupt-1", "corrupt-3")).size() == 2);
    }

    @Test
    void a503WithRetryAfterIsWaitedOutAndThePacketAcceptedOnceTheDistributorCanTakeIt() throws Exception {
        Path file = deadLetters("busy", packet("busy-1", "agent-b"));
        fleet.get(0).control(DemoAnalyzer.Mode.UNHEALTHY, 0);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> distributor.get("/health").statusCode() == 503);

            Process process = replay(file, "busy", OPERATOR_KEY);
            await().atMost(Duration.ofSeconds(30)).until(() -> output("busy").contains("HTTP 503"));
            fleet.get(0).control(DemoAnalyzer.Mode.NORMAL, 0);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(process.exitValue()).as(output("busy")).isZero();
            assertThat(output("busy")).contains("HTTP 503 {\"error\":\"no_analyzer_available\"", "(Retry-After 1 s); retrying in 1 s",
                    "1 lines, 1 accepted, 0 kept, 0 unreadable");
            await().atMost(Duration.ofSeconds(10)).until(() -> received(List.of("busy-1")).size() == 1);
        } finally {
            fleet.get(0).control(DemoAnalyzer.Mode.NORMAL, 0);
        }
    }

    @Test
    void everyAgentsDeadLettersAreReplayedWithAnOperatorKeyWhileAnAgentKeyReplaysOnlyItsOwn() throws Exception {
        // the distributor itself dead-letters packets of three agents, one of them pretty-printed with CRLF
        fleet.get(0).control(DemoAnalyzer.Mode.REFUSE, 0);
        Map<String, String> sent = Map.of("mixed-x1", "agent-x", "mixed-x2", "agent-x", "mixed-y1", "agent-y",
                "mixed-z1", "agent-z");
        try {
            for (Map.Entry<String, String> packet : sent.entrySet()) {
                String key = packet.getValue().equals("agent-x") ? AGENT_X_KEY : OPERATOR_KEY;
                assertThat(post(new String(packet(packet.getKey(), packet.getValue()), StandardCharsets.UTF_8), key)).isEqualTo(202);
            }
            assertThat(post("{\r\n  \"packet_id\": \"mixed-y2\",\r\n  \"agent_id\": \"agent-y\",\r\n  \"messages\": "
                    + "[{\"timestamp\": \"2026-11-22T10:00:00Z\", \"level\": \"INFO\", \"message\": \"m\"}]\r\n}", OPERATOR_KEY))
                    .isEqualTo(202);
            Path deadLetters = dir.resolve("data").resolve(DeadLetterStore.FILE_NAME);
            await().atMost(Duration.ofSeconds(10)).until(() -> deadLetterIds(deadLetters).containsAll(
                    List.of("mixed-x1", "mixed-x2", "mixed-y1", "mixed-y2", "mixed-z1")));
        } finally {
            fleet.get(0).control(DemoAnalyzer.Mode.NORMAL, 0);
        }
        Path file = Files.move(dir.resolve("data").resolve(DeadLetterStore.FILE_NAME), dir.resolve("mixed.jsonl"));
        assertThat(Files.readString(file)).contains("\"packet_base64\"");

        Process asAgent = replay(file, "as-agent-x", AGENT_X_KEY);
        assertThat(asAgent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(asAgent.exitValue()).isEqualTo(1);
        assertThat(output("as-agent-x")).contains("kept: HTTP 403 {\"error\":\"forbidden\"");
        assertThat(deadLetterIds(remaining(file))).containsExactlyInAnyOrder("mixed-y1", "mixed-y2", "mixed-z1");

        Process asOperator = replay(remaining(file), "as-operator", OPERATOR_KEY);
        assertThat(asOperator.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(asOperator.exitValue()).as(output("as-operator")).isZero();
        assertThat(output("as-operator")).contains("3 lines, 3 accepted, 0 kept, 0 unreadable");
        await().atMost(Duration.ofSeconds(10)).until(() -> received(List.of("mixed-x1", "mixed-x2", "mixed-y1", "mixed-y2",
                "mixed-z1")).size() == 5);
    }

    private static Path remaining(Path file) {
        return file.resolveSibling(file.getFileName() + ".remaining");
    }

    private Process replay(Path file, String name, String key) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-jar", JAR.toString(), "replay", file.toString(), "--url", distributor.uri("/ingest").toString(),
                "--header", "X-API-Key: " + key))
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static String output(String name) throws Exception {
        Path out = dir.resolve(name + ".out");
        return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    }

    private static Path deadLetters(String name, byte[]... bodies) throws Exception {
        DeadLetterStore store = new DeadLetterStore(Files.createDirectories(dir.resolve(name)), Clock.systemUTC());
        for (byte[] body : bodies) {
            store.store(letter(body));
        }
        return store.file();
    }

    private static DeadLetter letter(byte[] body) throws Exception {
        JsonNode packet = RunningDistributor.json(new String(body, StandardCharsets.UTF_8));
        return new DeadLetter(new Packet(packet.get("packet_id").asText(), packet.get("agent_id").asText(), 1, body),
                "refused_by_analyzer", "analyzer-1: HTTP 422", "analyzer-1", 1);
    }

    private static byte[] packet(String id, String agent) {
        return RunningDistributor.packet(id, 1).replace("agent-it", agent).getBytes(StandardCharsets.UTF_8);
    }

    private static Set<String> received(List<String> ids) {
        return fleet.receivedIds().stream().filter(ids::contains).collect(Collectors.toSet());
    }

    private static Set<String> deadLetterIds(Path file) throws Exception {
        if (!Files.exists(file)) {
            return Set.of();
        }
        Set<String> ids = new java.util.HashSet<>();
        for (String line : Files.readAllLines(file)) {
            ids.add(RunningDistributor.json(line).get("packet_id").asText());
        }
        return ids;
    }

    private static int post(String body, String key) throws Exception {
        return distributor.send(HttpRequest.newBuilder(distributor.uri("/ingest")).header("Content-Type", "application/json")
                .header("X-API-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build()).statusCode();
    }

    private static JsonNode stats() throws Exception {
        HttpResponse<String> response = distributor.send(HttpRequest.newBuilder(distributor.uri("/stats"))
                .header("X-API-Key", OPERATOR_KEY).GET().build());
        return RunningDistributor.json(response.body());
    }

    private static long accepted() throws Exception {
        return stats().at("/totals/accepted").asLong();
    }

    private static long queueDepth() throws Exception {
        return stats().at("/queue/depth").asLong();
    }

    private static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
