package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logsdistributor.demo.DemoAnalyzer;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The disk queue through the distributor's own HTTP API: fsync=always, and damage found at start. */
class DurableQueueIT extends FleetTest {

    /** A packet record's first bytes in the journal ("LDQ1"). */
    private static final int RECORD_MARKER = 0x4C445131;

    @Test
    void underFsyncAlwaysNo202ComesBeforeTheFsyncThatCoversItsPacket() throws Exception {
        fleet = new Fleet(1.0);
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"),
                Map.of("distributor.queue.fsync", "always"));
        for (int i = 0; i < 20; i++) {
            double before = fsyncs();
            assertThat(distributor.post(RunningDistributor.packet("sync-" + i, 3)).statusCode()).isEqualTo(202);
            assertThat(fsyncs()).as("journal fsyncs when packet %d was answered", i).isGreaterThan(before);
        }
    }

    @Test
    void underFsyncIntervalA202DoesNotWaitForAnFsync() throws Exception {
        fleet = new Fleet(1.0);
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"),
                Map.of("distributor.queue.fsync-interval-ms", "60000"));
        double before = fsyncs();
        for (int i = 0; i < 20; i++) {
            assertThat(distributor.post(RunningDistributor.packet("lazy-" + i, 3)).statusCode()).isEqualTo(202);
        }
        assertThat(fsyncs()).isEqualTo(before);
    }

    @Test
    void aTornRecordIsSkippedAndCountedAndTheRestDeliveredAfterARestart() throws Exception {
        fleet = new Fleet(1.0);
        Path analyzers = fleet.writeAnalyzersFile(dir);
        Map<String, String> settings = Map.of("distributor.shutdown-timeout-s", "1");
        distributor = RunningDistributor.start(analyzers, dir.resolve("data"), settings);
        // the analyzer goes away: accepted packets stay queued, and the shutdown leaves them in the journal
        Fleet.await(fleet.get(0).stop());
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = "torn-" + i;
            assertThat(distributor.post(RunningDistributor.packet(id, 2)).statusCode()).isEqualTo(202);
            accepted.add(id);
        }
        distributor.close();
        distributor = null;
        tearLastRecord(dir.resolve("data").resolve("queue"));

        Fleet.await(fleet.get(0).start());
        distributor = RunningDistributor.start(analyzers, dir.resolve("data"), settings);
        assertThat(distributor.stats().at("/totals/recovered").asLong()).isEqualTo(9);
        assertThat(distributor.get("/metrics").body()).contains("distributor_journal_corrupt_records_total 1.0");
        await().atMost(Duration.ofSeconds(30)).until(() -> fleet.get(0).packetIds().containsAll(accepted.subList(0, 9)));
        assertThat(fleet.get(0).packetIds()).doesNotContain("torn-9");
    }

    private double fsyncs() throws Exception {
        Matcher count = Pattern.compile("(?m)^distributor_journal_fsync_seconds_count (\\S+)$")
                .matcher(distributor.get("/metrics").body());
        assertThat(count.find()).as("the fsync histogram is exported").isTrue();
        return Double.parseDouble(count.group(1));
    }

    /** Zeroes the end of the newest packet record, as a write cut short by a crash leaves it. */
    private static void tearLastRecord(Path journal) throws Exception {
        Path newest = null;
        int at = -1;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(journal, "packets-*.jrn")) {
            for (Path file : files) {
                ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
                for (int i = 16; i + 4 <= bytes.capacity(); i++) {
                    boolean later = newest == null || fileNumber(file) > fileNumber(newest)
                            || (file.equals(newest) && i > at);
                    if (bytes.getInt(i) == RECORD_MARKER && later) {
                        newest = file;
                        at = i;
                    }
                }
            }
        }
        assertThat(newest).as("a packet record in the journal").isNotNull();
        byte[] bytes = Files.readAllBytes(newest);
        for (int i = at + 40; i < Math.min(bytes.length, at + 2000); i++) {
            bytes[i] = 0;
        }
        Files.write(newest, bytes);
    }

    private static long fileNumber(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(name.indexOf('-') + 1, name.indexOf('.')));
    }
}
