package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.logsdistributor.analyzer.AnalyzersReload;
import io.logsdistributor.demo.DemoAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * analyzers.yaml changed while the distributor runs under load (contract §9): new weights, analyzers
 * added and removed, invalid files, and the symlink swap a Kubernetes ConfigMap update makes. Nothing
 * is lost or delivered twice because of a reload.
 */
class AnalyzersReloadIT extends FleetTest {

    private Path start(Path analyzersFile) throws Exception {
        distributor = RunningDistributor.start(analyzersFile, dir.resolve("data"),
                Map.of("distributor.analyzers.reload-interval-ms", "200", "distributor.balance.slow-start-s", "2"));
        return analyzersFile;
    }

    /** An analyzers.yaml for these analyzers of the fleet with these weights, written whole then moved in place. */
    private void write(Path file, int[] analyzers, double[] weights) throws Exception {
        Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), yaml(analyzers, weights));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String yaml(int[] analyzers, double[] weights) {
        StringBuilder yaml = new StringBuilder("analyzers:\n");
        for (int i = 0; i < analyzers.length; i++) {
            DemoAnalyzer a = fleet.get(analyzers[i]);
            yaml.append("  - id: ").append(a.id()).append("\n    url: http://127.0.0.1:").append(a.port())
                    .append("/ingest\n    weight: ").append(weights[i]).append('\n');
        }
        return yaml.toString();
    }

    private void awaitApplied(String content) {
        String hash = AnalyzersReload.hash(content);
        await().atMost(Duration.ofSeconds(10)).until(() -> distributor.stats().at("/analyzers_file/hash").asText().equals(hash));
    }

    private long[] messages() {
        long[] m = new long[fleet.analyzers.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = fleet.get(i).messages();
        }
        return m;
    }

    @Test
    void newWeightsApplyToThePacketsSentAfterTheReloadWithNothingLostOrDuplicated() throws Exception {
        fleet = new Fleet(0.4, 0.3, 0.2, 0.1);
        Path file = start(fleet.writeAnalyzersFile(dir));
        int[] all = {0, 1, 2, 3};
        List<String> accepted = new ArrayList<>();
        try (Trickle trickle = new Trickle(distributor, "during")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> trickle.accepted().size() > 200);
            write(file, all, new double[] {0.1, 0.2, 0.3, 0.4});
            awaitApplied(yaml(all, new double[] {0.1, 0.2, 0.3, 0.4}));
            trickle.close();
            accepted.addAll(trickle.accepted());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> distributor.stats().at("/queue/packets").asLong() == 0);
        long[] before = messages();
        Load after = Load.send(distributor, "after", 6000, 8, i -> 1 + i % 30);
        assertThat(after.count(202)).isEqualTo(6000);
        await().atMost(Duration.ofSeconds(60)).until(() -> fleet.receivedIds().containsAll(after.acceptedIds));
        long[] now = messages();
        long total = 0;
        for (int i = 0; i < 4; i++) {
            total += now[i] - before[i];
        }
        double[] expected = {0.1, 0.2, 0.3, 0.4};
        for (int i = 0; i < 4; i++) {
            assertThat((double) (now[i] - before[i]) / total).as("share of analyzer-%d after the reload", i + 1)
                    .isCloseTo(expected[i], Offset.offset(0.005));
        }
        accepted.addAll(after.acceptedIds);
        assertThat(fleet.receivedIds()).containsAll(accepted);
        assertThat(fleet.totalPackets()).as("deliveries: no packet twice").isEqualTo(fleet.receivedIds().size());
        JsonNode stats = distributor.stats();
        assertThat(stats.at("/analyzers_file/reloads").asLong()).isEqualTo(1);
        assertThat(stats.at("/analyzers/0/weight").asDouble()).isEqualTo(0.1);
        assertThat(distributor.get("/metrics").body()).contains("distributor_analyzers_reloads_total 1.0");
    }

    @Test
    void anAddedAnalyzerRampsUpAndARemovedOneTakesNothingNewAfterItsDeliveriesInFlight() throws Exception {
        fleet = new Fleet(0.4, 0.3, 0.2, 0.1, 0.25);
        int[] firstFour = {0, 1, 2, 3};
        Path file = dir.resolve("analyzers.yaml");
        write(file, firstFour, new double[] {0.4, 0.3, 0.2, 0.1});
        start(file);
        DemoAnalyzer removed = fleet.get(2);
        DemoAnalyzer added = fleet.get(4);
        removed.control(DemoAnalyzer.Mode.SLOW, 300);
        List<String> accepted = new ArrayList<>();
        int[] next = {0, 1, 3, 4};
        double[] nextWeights = {0.4, 0.3, 0.1, 0.2};
        try (Trickle trickle = new Trickle(distributor, "swap")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> removed.packets() > 5);
            write(file, next, nextWeights);
            awaitApplied(yaml(next, nextWeights));
            JsonNode fresh = distributor.stats().at("/analyzers/3");
            assertThat(fresh.get("id").asText()).isEqualTo(added.id());
            assertThat(fresh.get("target_share").asDouble()).as("the new one starts small").isLessThan(0.15);
            await().atMost(Duration.ofSeconds(10)).until(() -> distributor.stats().at("/analyzers/3/target_share")
                    .asDouble() > 0.199);
            // what the removed one was sending when the reload came has ended by now (300 ms each)
            long removedPackets = removed.packets();
            Thread.sleep(1000);
            assertThat(removed.packets()).as("nothing new for the removed analyzer").isEqualTo(removedPackets);
            trickle.close();
            accepted.addAll(trickle.accepted());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fleet.receivedIds().containsAll(accepted));
        assertThat(fleet.totalPackets()).as("deliveries: no packet twice").isEqualTo(fleet.receivedIds().size());
        assertThat(added.packets()).isGreaterThan(0);
        JsonNode stats = distributor.stats();
        assertThat(stats.at("/analyzers")).hasSize(4);
        // its route and meters go once its last delivery ended
        await().atMost(Duration.ofSeconds(10)).until(() -> distributor.context().getRoute("analyzer-" + removed.id()) == null
                && !distributor.get("/metrics").body().contains("analyzer=\"" + removed.id() + "\""));
    }

    @Test
    void anInvalidFileChangesNothingAndIsCountedOnce() throws Exception {
        fleet = new Fleet(0.5, 0.5);
        Path file = start(fleet.writeAnalyzersFile(dir));
        String valid = Files.readString(file);
        List<String> invalid = List.of(
                valid + "  - id: analyzer-1\n    url: http://127.0.0.1:9/ingest\n    weight: 1\n",
                valid.replace("weight: 0.5", "weight: 0"),
                valid.replace("weight: 0.5", "weight: 0.5\n    wieght: 2"));
        int failures = 0;
        for (String content : invalid) {
            Files.writeString(file, content);
            failures++;
            int expected = failures;
            await().atMost(Duration.ofSeconds(10)).until(() -> distributor.stats().at("/analyzers_file/reload_failures")
                    .asLong() == expected);
            assertThat(distributor.post(RunningDistributor.packet("still-" + failures, 2)).statusCode()).isEqualTo(202);
        }
        Thread.sleep(1000);
        JsonNode stats = distributor.stats();
        assertThat(stats.at("/analyzers_file/reload_failures").asLong()).as("each bad content counted once").isEqualTo(3);
        assertThat(stats.at("/analyzers_file/last_error").asText()).contains(file.toString()).contains("wieght")
                .contains("unknown key");
        assertThat(stats.at("/analyzers_file/hash").asText()).isEqualTo(AnalyzersReload.hash(valid));
        assertThat(stats.at("/analyzers")).hasSize(2);
        assertThat(distributor.get("/metrics").body()).contains("distributor_analyzers_reload_failures_total 3.0");
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.receivedIds().containsAll(List.of("still-1", "still-2",
                "still-3")));
    }

    @Test
    void aKubernetesConfigMapUpdateBySymlinkSwapIsPickedUp() throws Exception {
        fleet = new Fleet(0.5, 0.5);
        // kubelet's layout: analyzers.yaml -> ..data/analyzers.yaml, ..data -> ..<timestamp>/; an update
        // writes a new timestamped directory and renames a new ..data link over the old one
        Path mount = Files.createDirectories(dir.resolve("config"));
        Path first = Files.createDirectories(mount.resolve("..2026_12_01_10_00_00.1"));
        int[] both = {0, 1};
        Files.writeString(first.resolve("analyzers.yaml"), yaml(both, new double[] {0.5, 0.5}));
        Files.createSymbolicLink(mount.resolve("..data"), first.getFileName());
        Path file = mount.resolve("analyzers.yaml");
        Files.createSymbolicLink(file, Path.of("..data", "analyzers.yaml"));
        start(file);

        Path second = Files.createDirectories(mount.resolve("..2026_12_01_10_05_00.2"));
        String updated = yaml(both, new double[] {0.9, 0.1});
        Files.writeString(second.resolve("analyzers.yaml"), updated);
        Path link = Files.createSymbolicLink(mount.resolve("..data_tmp"), second.getFileName());
        Files.move(link, mount.resolve("..data"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        awaitApplied(updated);
        assertThat(distributor.stats().at("/analyzers/0/weight").asDouble()).isEqualTo(0.9);
    }
}
