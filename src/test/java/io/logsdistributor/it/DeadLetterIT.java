package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.logsdistributor.delivery.DeadLetterReplay;
import io.logsdistributor.delivery.DeadLetterStore;
import io.logsdistributor.demo.DemoAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What cannot be delivered is kept, counted and replayable; shutdown drains what can be. */
class DeadLetterIT extends FleetTest {

    private Path deadLetters() {
        return dir.resolve("data").resolve(DeadLetterStore.FILE_NAME);
    }

    @Test
    void aPacketRefusedWith4xxIsDeadLetteredWithoutRetry() throws Exception {
        fleet = new Fleet(1.0);
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"), Map.of());
        fleet.get(0).control(DemoAnalyzer.Mode.REFUSE, 0);
        String packet = RunningDistributor.packet("refused-1", 2);
        assertThat(distributor.post(packet).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> distributor.stats().at("/totals/dead_lettered").asLong() == 1);
        List<String> lines = Files.readAllLines(deadLetters());
        assertThat(lines).hasSize(1);
        JsonNode record = RunningDistributor.json(lines.get(0));
        assertThat(record.get("reason").asText()).isEqualTo("refused_by_analyzer");
        assertThat(record.get("detail").asText()).isEqualTo("analyzer-1: HTTP 422");
        assertThat(record.get("analyzer").asText()).isEqualTo("analyzer-1");
        assertThat(record.get("attempts").asInt()).isEqualTo(1);
        assertThat(record.get("packet_id").asText()).isEqualTo("refused-1");
        assertThat(record.get("time").asText()).isNotEmpty();
        // the packet is kept as received, ready to be posted again
        assertThat(record.get("packet")).isEqualTo(RunningDistributor.json(packet));
        assertThat(distributor.stats().at("/totals/retried").asLong()).isZero();
        assertThat(distributor.get("/metrics").body()).contains("distributor_dead_letters_total 1.0");

        // the operator fixes the analyzer, moves the file aside and replays it
        fleet.get(0).control(DemoAnalyzer.Mode.NORMAL, 0);
        Path aside = Files.move(deadLetters(), dir.resolve("to-replay.jsonl"));
        DeadLetterReplay.Result result = DeadLetterReplay.replay(aside, distributor.uri("/ingest"), List.of());
        assertThat(result.accepted()).isEqualTo(1);
        assertThat(result.remaining()).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.get(0).packetIds().contains("refused-1"));
    }

    @Test
    void aPacketThatFailsEveryAttemptIsDeadLetteredAfterMaxAttempts() throws Exception {
        fleet = new Fleet(0.5, 0.5);
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"),
                Map.of("distributor.delivery.max-attempts", "3"));
        fleet.analyzers.forEach(a -> a.control(DemoAnalyzer.Mode.FAIL, 0));
        assertThat(distributor.post(RunningDistributor.packet("failing-1", 1)).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(deadLetters()) && Files.size(deadLetters()) > 0);
        JsonNode record = RunningDistributor.json(Files.readAllLines(deadLetters()).get(0));
        assertThat(record.get("reason").asText()).isEqualTo("delivery_failed");
        assertThat(record.get("attempts").asInt()).isEqualTo(3);
        assertThat(record.get("detail").asText()).endsWith("HTTP 500");
        assertThat(distributor.stats().at("/totals/retried").asLong()).isEqualTo(2);
    }

    @Test
    void stoppingDrainsTheQueueToTheAnalyzers() throws Exception {
        fleet = new Fleet(0.5, 0.5);
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"),
                Map.of("distributor.queue.consumers", "2"));
        fleet.analyzers.forEach(a -> a.control(DemoAnalyzer.Mode.SLOW, 20));
        Load load = Load.send(distributor, "drain", 300, 8, i -> 4);
        assertThat(load.count(202)).isEqualTo(300);
        assertThat(distributor.stats().at("/queue/depth").asInt()).isPositive();

        distributor.close();
        distributor = null;

        assertThat(fleet.receivedIds()).containsExactlyInAnyOrderElementsOf(load.acceptedIds);
        assertThat(deadLetters()).satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
    }

    @Test
    void withTheQueueInMemoryPacketsStillQueuedWhenTheDrainTimesOutAreDeadLetteredNotLost() throws Exception {
        fleet = new Fleet(1.0);
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"),
                Map.of("distributor.queue.consumers", "1", "distributor.shutdown-timeout-s", "1",
                        "distributor.delivery.response-timeout-ms", "3000", "distributor.queue.store", "memory"));
        fleet.get(0).control(DemoAnalyzer.Mode.SLOW, 500);
        Load load = Load.send(distributor, "late", 40, 4, i -> 1);
        assertThat(load.count(202)).isEqualTo(40);

        distributor.close();
        distributor = null;

        List<String> lines = Files.exists(deadLetters()) ? Files.readAllLines(deadLetters()) : List.of();
        long delivered = fleet.get(0).packetIds().stream().filter(load.acceptedIds::contains).count();
        assertThat(lines).isNotEmpty();
        java.util.Set<String> kept = new java.util.HashSet<>(fleet.get(0).packetIds());
        for (String line : lines) {
            kept.add(RunningDistributor.json(line).get("packet_id").asText());
        }
        // every accepted packet was either delivered or is in the dead-letter store
        assertThat(kept).containsAll(load.acceptedIds);
        assertThat(delivered + lines.size()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void withTheQueueOnDiskPacketsStillQueuedWhenTheDrainTimesOutStayForTheNextStart() throws Exception {
        fleet = new Fleet(1.0);
        Map<String, String> settings = Map.of("distributor.queue.consumers", "1", "distributor.shutdown-timeout-s", "1",
                "distributor.delivery.response-timeout-ms", "3000");
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"), settings);
        fleet.get(0).control(DemoAnalyzer.Mode.SLOW, 500);
        Load load = Load.send(distributor, "late", 40, 4, i -> 1);
        assertThat(load.count(202)).isEqualTo(40);

        distributor.close();
        assertThat(fleet.get(0).packetIds()).as("the drain timed out").hasSizeLessThan(40);
        assertThat(Files.exists(deadLetters()) ? Files.readAllLines(deadLetters()) : List.of())
                .as("nothing dead-lettered for a shutdown").isEmpty();

        fleet.get(0).control(DemoAnalyzer.Mode.NORMAL, 0);
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"), settings);
        assertThat(distributor.stats().at("/totals/recovered").asLong()).isGreaterThan(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> fleet.get(0).packetIds().containsAll(load.acceptedIds));
    }
}
