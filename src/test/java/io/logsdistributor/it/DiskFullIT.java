package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logsdistributor.demo.DemoAnalyzer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory on a small filesystem of its own (a tmpfs), filled up for real: the journal cannot
 * grow, so ingest answers 503 storage_unavailable and readiness goes DOWN, never a 202 without a
 * record; dead letters that cannot be written keep their packets queued. Freed, it accepts again by
 * itself and everything accepted is delivered or dead-lettered. Mounting needs root (CI runs as root).
 */
class DiskFullIT {

    @TempDir
    Path dir;
    private Path disk;
    private Fleet fleet;
    private RunningDistributor distributor;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = Files.createDirectories(dir.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        boolean mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "DiskFullIT needs root to mount a 40 MiB tmpfs (mount said: " + output.strip()
                + "): skipped; run the build as root (as .ci/run does) to test a full disk");
    }

    @AfterEach
    void unmount() throws Exception {
        if (distributor != null) {
            distributor.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        if (disk != null) {
            new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullDiskRefusesPacketsUntilItIsFreedAndLosesNothing() throws Exception {
        fleet = new Fleet(0.5, 0.5);
        // deliveries crawl (8 consumers x 2 s), so the journal has to grow
        fleet.analyzers.forEach(a -> a.control(DemoAnalyzer.Mode.SLOW, 2000));
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), disk.resolve("data"), Map.of(
                "distributor.queue.capacity", "100000",
                "distributor.dead-letters.retry-interval-ms", "300"));
        Set<String> accepted = new HashSet<>();
        int n = 0;
        for (; n < 20; n++) {
            assertThat(post("before-" + n, accepted).statusCode()).isEqualTo(202);
        }

        Path filler = disk.resolve("filler");
        fill(filler);
        HttpResponse<String> refused = null;
        for (int i = 0; i < 20_000 && refused == null; i++) {
            HttpResponse<String> response = post("full-" + i, accepted);
            if (response.statusCode() != 202) {
                refused = response;
            }
        }
        assertThat(refused).as("the journal ran out of room").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(RunningDistributor.json(refused.body()).get("error").asText()).isEqualTo("storage_unavailable");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = post("still-full-" + i, accepted);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("storage_unavailable");
        }
        assertThat(distributor.get("/observe/health/ready").statusCode()).isEqualTo(503);
        assertThat(distributor.get("/metrics").body()).contains("distributor_storage_available 0.0");

        // refused packets now meet a dead-letter store that cannot be written either: they stay queued
        fleet.analyzers.forEach(a -> a.control(DemoAnalyzer.Mode.REFUSE, 0));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> distributor.stats().at("/totals/dead_letter_write_failures").asLong() > 0);
        assertThat(distributor.stats().at("/totals/dead_lettered").asLong()).isZero();
        // nothing left the queue without being delivered (deliveries begun before REFUSE may still end)
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var stats = distributor.stats();
            return stats.at("/queue/packets").asLong() + stats.at("/totals/delivered").asLong() == accepted.size();
        });
        fleet.analyzers.forEach(a -> a.control(DemoAnalyzer.Mode.SLOW, 2000));

        Files.delete(filler);
        await().atMost(Duration.ofSeconds(15)).until(() -> post("freed-" + System.nanoTime(), accepted).statusCode() == 202);
        assertThat(distributor.get("/observe/health/ready").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> distributor.stats().at("/totals/dead_lettered").asLong() > 0);

        fleet.analyzers.forEach(a -> a.control(DemoAnalyzer.Mode.NORMAL, 0));
        await().atMost(Duration.ofSeconds(60)).until(() -> distributor.stats().at("/queue/packets").asLong() == 0);
        Set<String> accounted = new HashSet<>(fleet.receivedIds());
        accounted.addAll(deadLetteredIds());
        assertThat(accounted).containsAll(accepted);
    }

    private HttpResponse<String> post(String id, Set<String> accepted) throws IOException, InterruptedException {
        HttpResponse<String> response = distributor.post(RunningDistributor.packet(id, 40));
        if (response.statusCode() == 202) {
            accepted.add(id);
        }
        return response;
    }

    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    private Set<String> deadLetteredIds() throws IOException {
        Set<String> ids = new HashSet<>();
        List<String> lines = Files.readAllLines(disk.resolve("data").resolve("dead-letters.jsonl"));
        for (String line : lines) {
            ids.add(RunningDistributor.json(line).get("packet_id").asText());
        }
        return ids;
    }
}
