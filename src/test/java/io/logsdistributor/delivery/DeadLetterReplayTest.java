package io.logsdistributor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logsdistributor.config.ConfigException;
import io.logsdistributor.ingest.Packet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay of dead letters against a real local HTTP server: what is posted, kept, waited for, resumed. */
class DeadLetterReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private IngestStub stub;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        if (stub != null) {
            stub.close();
        }
    }

    @Test
    void eachPacketIsPostedAsTheExactBytesTheAgentSent() throws Exception {
        byte[] plain = "{\"packet_id\":\"p-1\",\"agent_id\":\"a\",\"messages\":[{\"message\":\"caf\\u00e9 ☕ 🚀\",\"n\":1.50e3}],\"x\" :\t[ ]}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] lineBreaks = "{\r\n  \"packet_id\": \"p-2\",\n  \"agent_id\": \"a\",\r\n  \"messages\": [\"line\\nbreak\"]\n}\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] byteOrderMark = ("\uFEFF{\"packet_id\":\"p-3\",\"agent_id\":\"a\",\"messages\":[]}").getBytes(StandardCharsets.UTF_8);
        byte[] utf16 = "{\"packet_id\":\"p-4\",\"agent_id\":\"a\",\"messages\":[\"ü\"]}".getBytes(StandardCharsets.UTF_16BE);
        List<byte[]> bodies = List.of(plain, lineBreaks, byteOrderMark, utf16);
        Path file = deadLetters(bodies.toArray(new byte[0][]));
        stub = new IngestStub((i, body) -> IngestStub.Answer.ACCEPTED);

        DeadLetterReplay.Result result = replay(file);

        assertThat(stub.bodies).hasSize(4);
        for (int i = 0; i < bodies.size(); i++) {
            assertThat(stub.bodies.get(i)).as("packet %d", i + 1).isEqualTo(bodies.get(i));
        }
        assertThat(result.accepted()).isEqualTo(4);
        assertThat(result.remaining()).isNull();
        // every record stays one line that jq reads, packet included; the exact bytes ride along only where needed
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode record = JSON.readTree(lines.get(i));
            assertThat(record.get("packet").get("packet_id").asText()).isEqualTo("p-" + (i + 1));
            assertThat(record.has("packet_base64")).as("record %d has packet_base64", i + 1).isEqualTo(i > 0);
        }
        assertThat(lines.get(0)).contains(new String(plain, StandardCharsets.UTF_8));
    }

    @Test
    void aRecordWrittenBeforePacketBase64IsPostedAsItsPacketStandsInTheLine() throws Exception {
        String packet = "{ \"packet_id\" : \"old-1\", \"agent_id\":\"a\",  \"messages\":[{\"n\":1.0E3,\"s\":\"\\u00e9\"}] }";
        Path file = Files.writeString(dir.resolve("old.jsonl"),
                "{\"time\":\"2026-11-22T10:00:00Z\",\"reason\":\"refused_by_analyzer\",\"packet_id\":\"old-1\",\"packet\":" + packet
                        + ",\"attempts\":1}\n");
        stub = new IngestStub((i, body) -> IngestStub.Answer.ACCEPTED);

        replay(file);

        assertThat(stub.bodiesAsText()).containsExactly(packet);
    }

    @Test
    void anUnreadableLineIsReportedWithItsNumberKeptAndTheRunGoesOn() throws Exception {
        Path file = deadLetters(body("first"));
        List<String> corrupt = List.of("not json at all", "{\"time\":\"2026-11-22T10:00:00Z\",\"reason\":\"x\"}",
                "{\"packet_base64\":\"***\"}", "{\"time\":\"2026-11-22T10:00:00Z\",\"packet\":{\"packet_id");
        Files.writeString(file, String.join("\n", corrupt) + "\n\n", StandardOpenOption.APPEND);
        new DeadLetterStore(dir, Clock.systemUTC()).store(letter(body("last")));
        stub = new IngestStub((i, body) -> IngestStub.Answer.ACCEPTED);

        DeadLetterReplay.Result result = replay(file);

        assertThat(stub.bodiesAsText()).containsExactly(text(body("first")), text(body("last")));
        assertThat(result.remaining()).isNotNull();
        assertThat(Files.readAllLines(result.remaining())).containsExactlyElementsOf(corrupt);
        assertThat(result.unreadable()).isEqualTo(4);
        assertThat(result.accepted()).isEqualTo(2);
        assertThat(result.lines()).isEqualTo(7);
        assertThat(output()).contains("line 2: unreadable, kept: not valid JSON", "line 3: unreadable, kept: no packet object",
                "line 4: unreadable, kept: packet_base64: not base64", "line 5: unreadable, kept: not valid JSON");
    }

    @Test
    void a503WithRetryAfterIsWaitedOutThenThePacketIsAccepted() throws Exception {
        Path file = deadLetters(body("busy"));
        stub = new IngestStub((i, body) -> i < 2
                ? new IngestStub.Answer(503, Map.of("Retry-After", "1"), "{\"error\":\"queue_full\",\"retry_after_s\":1}")
                : IngestStub.Answer.ACCEPTED);
        long start = System.nanoTime();

        DeadLetterReplay.Result result = replay(file);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(stub.bodies).hasSize(3);
        assertThat(result.accepted()).isEqualTo(1);
        assertThat(result.remaining()).isNull();
        assertThat(output()).contains("HTTP 503 {\"error\":\"queue_full\",\"retry_after_s\":1} (Retry-After 1 s); retrying in 1 s");
    }

    @Test
    void aPacketWaitsNoLongerThanTheMaxWaitThenIsKeptAndTheNextIsPosted() throws Exception {
        Path file = deadLetters(body("limited"), body("next"));
        stub = new IngestStub((i, body) -> i < 4
                ? new IngestStub.Answer(429, Map.of("Retry-After", "1"), "{\"error\":\"rate_limited\"}")
                : IngestStub.Answer.ACCEPTED);
        List<Duration> waits = new ArrayList<>();

        DeadLetterReplay.Result result = replayCountingWaits(file, Duration.ofSeconds(3), waits);

        assertThat(waits).as("three waits of 1 s fit into 3 s, a fourth does not").containsExactly(
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(stub.bodiesAsText()).containsExactly(text(body("limited")), text(body("limited")), text(body("limited")),
                text(body("limited")), text(body("next")));
        assertThat(result.accepted()).isEqualTo(1);
        assertThat(Files.readAllLines(result.remaining())).hasSize(1).first().asString().contains("limited");
        assertThat(output()).contains("line 1 (packet limited of agent-a): kept: HTTP 429");
    }

    @Test
    void aRetryAfterLongerThanTheMaxWaitIsNotBegun() throws Exception {
        Path file = deadLetters(body("later"));
        stub = new IngestStub((i, body) -> new IngestStub.Answer(503, Map.of("Retry-After", "120"), ""));
        List<Duration> waits = new ArrayList<>();

        DeadLetterReplay.Result result = replayCountingWaits(file, Duration.ofSeconds(60), waits);

        assertThat(waits).isEmpty();
        assertThat(stub.bodies).hasSize(1);
        assertThat(result.kept()).isEqualTo(1);
    }

    @Test
    void aRefusedPacketIsKeptAndTheRunGoesOn() throws Exception {
        Path file = deadLetters(body("mine"), bodyOf("theirs", "agent-b"), body("mine-too"));
        stub = new IngestStub((i, body) -> text(body).contains("agent-b")
                ? IngestStub.Answer.of(403, "{\"error\":\"forbidden\",\"detail\":\"agent_id: not the agent this API key belongs to\"}")
                : IngestStub.Answer.ACCEPTED);

        DeadLetterReplay.Result result = replay(file);

        assertThat(stub.bodies).hasSize(3);
        assertThat(result.accepted()).isEqualTo(2);
        assertThat(Files.readAllLines(result.remaining())).singleElement().asString().contains("theirs");
        assertThat(output()).contains("line 2 (packet theirs of agent-b): kept: HTTP 403 {\"error\":\"forbidden\"");
    }

    @Test
    void againstAnUnavailableUrlTheRestOfTheFileIsKeptAfterThreePacketsInARow() throws Exception {
        Path file = deadLetters(body("u1"), body("u2"), body("u3"), body("u4"), body("u5"));
        stub = new IngestStub((i, body) -> IngestStub.Answer.of(503, "{\"error\":\"no_analyzer_available\"}"));

        DeadLetterReplay.Result result = replayCountingWaits(file, Duration.ZERO, new ArrayList<>());

        assertThat(stub.bodies).hasSize(ReplayRun.UNAVAILABLE_IN_A_ROW_TO_STOP);
        assertThat(Files.readAllLines(result.remaining())).isEqualTo(Files.readAllLines(file));
        assertThat(output()).contains("the lines after line 3 are kept without being posted");
    }

    @Test
    void aReplayStoppedWithAPacketInFlightAndRunAgainPostsOnlyThatPacketTwice() throws Exception {
        Path file = deadLetters(body("r1"), body("r2"), body("r3"), body("r4"), body("r5"));
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        stub = new IngestStub((i, body) -> {
            if (i == 2) {
                inFlight.countDown();
                release.await();
            }
            return IngestStub.Answer.ACCEPTED;
        });
        AtomicReference<Throwable> stopped = new AtomicReference<>();
        Thread first = new Thread(() -> {
            try {
                replay(file);
            } catch (Throwable e) {
                stopped.set(e);
            }
        });
        first.start();
        inFlight.await();
        first.interrupt();
        first.join(10_000);
        release.countDown();
        assertThat(stopped.get()).isInstanceOf(InterruptedException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> stub.bodies.size() == 3);

        DeadLetterReplay.Result result = replay(file);

        assertThat(stub.bodiesAsText()).containsExactly(text(body("r1")), text(body("r2")), text(body("r3")),
                text(body("r3")), text(body("r4")), text(body("r5")));
        assertThat(result.resumedAfter()).isEqualTo(2);
        assertThat(result.accepted()).isEqualTo(5);
        assertThat(result.remaining()).isNull();
    }

    @Test
    void aFinishedReplayRunAgainPostsNothingButGoesOnWithLinesAddedSince() throws Exception {
        Path file = deadLetters(body("once"));
        stub = new IngestStub((i, body) -> IngestStub.Answer.ACCEPTED);
        replay(file);

        DeadLetterReplay.Result again = replay(file);
        assertThat(stub.bodies).hasSize(1);
        assertThat(again.resumedAfter()).isEqualTo(1);

        new DeadLetterStore(dir, Clock.systemUTC()).store(letter(body("added")));
        replay(file);
        assertThat(stub.bodiesAsText()).containsExactly(text(body("once")), text(body("added")));
    }

    @Test
    void aLineKeptAfterTheLastRecordedProgressIsCutOffWhenTheReplayResumes() throws Exception {
        Path file = deadLetters(body("refused"));
        stub = new IngestStub((i, body) -> i == 0 ? IngestStub.Answer.of(400, "{\"error\":\"invalid_packet\"}")
                : IngestStub.Answer.ACCEPTED);
        Path remaining = replay(file).remaining();
        // as a replay killed between keeping a line and recording it leaves the file
        Files.writeString(remaining, "{\"kept\":\"by a run killed before its progress was synced\"}\n",
                StandardOpenOption.APPEND);
        new DeadLetterStore(dir, Clock.systemUTC()).store(letter(body("accepted")));

        replay(file);

        assertThat(Files.readAllLines(remaining)).singleElement().asString().contains("refused");
    }

    @Test
    void aTornProgressRecordFallsBackToTheOneBeforeIt() throws Exception {
        Path file = deadLetters(body("t1"), body("t2"), body("t3"));
        stub = new IngestStub((i, body) -> IngestStub.Answer.ACCEPTED);
        replay(file);
        // the third save went to the first slot again: tear it as a power loss mid-write could
        try (FileChannel progress = FileChannel.open(ReplayProgress.pathFor(file), StandardOpenOption.WRITE)) {
            progress.write(ByteBuffer.wrap("garbage".getBytes(StandardCharsets.US_ASCII)), 40);
        }

        DeadLetterReplay.Result result = replay(file);

        assertThat(result.resumedAfter()).isEqualTo(2);
        assertThat(stub.bodiesAsText()).containsExactly(text(body("t1")), text(body("t2")), text(body("t3")), text(body("t3")));
    }

    @Test
    void progressRecordedForAnotherFileAtTheSamePathIsRefused() throws Exception {
        Path file = deadLetters(body("week-1"));
        stub = new IngestStub((i, body) -> IngestStub.Answer.ACCEPTED);
        replay(file);
        Files.delete(file);
        deadLetters(body("week-2-is-another-file"), body("x"));

        assertThatThrownBy(() -> replay(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("records the replay of another file").hasMessageContaining("delete " + ReplayProgress.pathFor(file));
        assertThat(stub.bodies).hasSize(1);
    }

    @Test
    void aDamagedProgressFileIsAnErrorNotASilentRestart() throws Exception {
        Path file = deadLetters(body("d1"));
        Files.writeString(ReplayProgress.pathFor(file), "not a progress record\n");
        stub = new IngestStub((i, body) -> IngestStub.Answer.ACCEPTED);

        assertThatThrownBy(() -> replay(file)).isInstanceOf(ConfigException.class).hasMessageContaining("is damaged");
        assertThat(stub.bodies).isEmpty();
    }

    @Test
    void aFirstProgressRecordTornByACrashMeansNothingWasRecorded() throws Exception {
        Path file = deadLetters(body("f1"), body("f2"));
        Files.writeString(ReplayProgress.pathFor(file), "replay-progress v1 seq=1 line=1 offs");
        stub = new IngestStub((i, body) -> IngestStub.Answer.ACCEPTED);

        DeadLetterReplay.Result result = replay(file);

        assertThat(result.resumedAfter()).isZero();
        assertThat(stub.bodiesAsText()).containsExactly(text(body("f1")), text(body("f2")));
    }

    @Test
    void twoReplaysOfOneFileCannotRunAtOnce() throws Exception {
        Path file = deadLetters(body("l1"));
        stub = new IngestStub((i, body) -> IngestStub.Answer.ACCEPTED);
        try (ReplayProgress running = ReplayProgress.open(file)) {
            assertThatThrownBy(() -> replay(file)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("another replay of " + file + " is running");
        }
        assertThat(stub.bodies).isEmpty();
    }

    @Test
    void controlCharactersFromRecordsAndAnswersNeverReachTheReport() throws Exception {
        Path file = deadLetters(bodyOf("forged\r\nline 9: fake", "a\u001b[31m"));
        stub = new IngestStub((i, body) -> IngestStub.Answer.of(400, "{\"detail\":\"x\"}\r\nINJECTED"));

        replay(file);

        assertThat(output().lines()).allSatisfy(line -> assertThat(line).doesNotContain("\u001b").doesNotStartWith("INJECTED")
                .doesNotStartWith("line 9"));
        assertThat(output()).contains("forged\\u000d\\u000aline 9", "\\u000d\\u000aINJECTED");
    }

    private DeadLetterReplay.Result replay(Path file) throws Exception {
        return DeadLetterReplay.replay(new ReplayOptions(file, stub.url(), List.of(), Duration.ofSeconds(60)),
                new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    /** Waits are counted and a clock moved instead of spent: the bound is checked without taking its time. */
    private DeadLetterReplay.Result replayCountingWaits(Path file, Duration maxWait, List<Duration> waits) throws Exception {
        AtomicLong now = new AtomicLong();
        ReplaySender sender = new ReplaySender(stub.url(), List.of(), maxWait, wait -> {
            waits.add(wait);
            now.addAndGet(wait.toNanos());
        }, now::get);
        return new ReplayRun(file, sender, new PrintStream(output, true, StandardCharsets.UTF_8)).run();
    }

    private String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    private Path deadLetters(byte[]... bodies) {
        DeadLetterStore store = new DeadLetterStore(dir, Clock.systemUTC());
        for (byte[] body : bodies) {
            store.store(letter(body));
        }
        return store.file();
    }

    private static DeadLetter letter(byte[] body) {
        try {
            JsonNode packet = JSON.readTree(body);
            return new DeadLetter(new Packet(packet.get("packet_id").asText(), packet.get("agent_id").asText(), 1, body),
                    "refused_by_analyzer", "analyzer-1: HTTP 422", "analyzer-1", 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] body(String id) {
        return bodyOf(id, "agent-a");
    }

    private static byte[] bodyOf(String id, String agent) {
        return ("{\"packet_id\":" + quote(id) + ",\"agent_id\":" + quote(agent)
                + ",\"messages\":[{\"timestamp\":\"2026-11-22T10:00:00Z\",\"level\":\"INFO\",\"message\":\"m\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
