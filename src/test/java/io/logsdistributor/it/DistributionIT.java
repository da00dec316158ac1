package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.logsdistributor.demo.DemoAnalyzer;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Message shares, failover and rejoin through real HTTP: distributor and demo analyzers in this JVM. */
class DistributionIT extends FleetTest {

    private static final double[] WEIGHTS = {0.4, 0.3, 0.2, 0.1};

    private void start(Map<String, String> overrides) throws Exception {
        fleet = new Fleet(WEIGHTS);
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"), overrides);
    }

    @Test
    void messageSharesFollowTheWeightsWithMixedPacketSizes() throws Exception {
        start(Map.of());
        int packets = 20_000;
        Random random = new Random(3);
        int[] sizes = new int[packets];
        for (int i = 0; i < packets; i++) {
            int r = random.nextInt(100);
            sizes[i] = r < 55 ? 1 + random.nextInt(3) : r < 90 ? 4 + random.nextInt(17) : 21 + random.nextInt(80);
        }
        Load load = Load.send(distributor, "mix", packets, 8, i -> sizes[i]);

        assertThat(load.count(202)).isEqualTo(packets);
        await().atMost(Duration.ofSeconds(60)).until(() -> distributor.stats().at("/totals/delivered").asLong() == packets);
        assertThat(fleet.receivedIds()).containsExactlyInAnyOrderElementsOf(load.acceptedIds);
        long messages = fleet.totalMessages();
        assertThat(messages).isEqualTo(load.acceptedMessages.get());
        for (int i = 0; i < WEIGHTS.length; i++) {
            double share = (double) fleet.get(i).messages() / messages;
            assertThat(share).as("share of analyzer-%d", i + 1).isCloseTo(WEIGHTS[i], Offset.offset(0.001));
        }
        JsonNode stats = distributor.stats();
        assertThat(stats.at("/totals/delivered").asLong()).isEqualTo(packets);
        assertThat(stats.at("/analyzers/0/actual_message_share").asDouble()).isCloseTo(0.4, Offset.offset(0.001));
        // 0.4 / (0.4 + 0.3 + 0.2 + 0.1) is 0.4000000000000001 in doubles: what people read is rounded
        assertThat(stats.at("/analyzers/0/target_share").asText()).isEqualTo("0.4");
        assertThat(distributor.get("/stats").body()).doesNotContainPattern("\\d\\.\\d{7,}");
    }

    @Test
    void anAnalyzerStoppedMidStreamLosesNothingAndRejoinsWhenItReturns() throws Exception {
        // without slow start, so that its share right after it returns is the whole of it (the ramp is
        // MisbehavingAnalyzersIT's)
        start(Map.of("distributor.balance.slow-start-s", "0"));
        DemoAnalyzer second = fleet.get(1);
        Load before = Load.send(distributor, "before", 2_000, 8, i -> 1 + i % 40);
        Fleet.await(second.stop());
        long secondBefore = second.messages();
        long[] othersBefore = {fleet.get(0).messages(), fleet.get(2).messages(), fleet.get(3).messages()};
        Load during = Load.send(distributor, "during", 4_000, 8, i -> 1 + i % 40);
        await().atMost(Duration.ofSeconds(60)).until(() -> fleet.totalPackets() == 6_000);

        assertThat(before.count(202) + during.count(202)).isEqualTo(6_000);
        assertThat(second.messages()).isEqualTo(secondBefore);
        // the three that stayed keep their relative shares 4:2:1 among themselves
        double m1 = fleet.get(0).messages() - othersBefore[0];
        double m3 = fleet.get(2).messages() - othersBefore[1];
        double m4 = fleet.get(3).messages() - othersBefore[2];
        double sum = m1 + m3 + m4;
        assertThat(m1 / sum).isCloseTo(4.0 / 7, Offset.offset(0.01));
        assertThat(m3 / sum).isCloseTo(2.0 / 7, Offset.offset(0.01));
        assertThat(m4 / sum).isCloseTo(1.0 / 7, Offset.offset(0.01));
        assertThat(distributor.stats().at("/totals/dead_lettered").asLong()).isZero();

        Fleet.await(second.start());
        await().atMost(Duration.ofSeconds(5)).until(() -> distributor.stats().at("/analyzers/1/eligible").asBoolean());
        Load after = Load.send(distributor, "after", 1_000, 4, i -> 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> fleet.totalPackets() == 7_000);
        assertThat(after.count(202)).isEqualTo(1_000);
        // back with its share of what followed, and no catch-up flood for what it missed
        assertThat((double) (second.messages() - secondBefore) / 10_000).isCloseTo(0.3, Offset.offset(0.01));
        Load all = new Load();
        all.acceptedIds.addAll(before.acceptedIds);
        all.acceptedIds.addAll(during.acceptedIds);
        all.acceptedIds.addAll(after.acceptedIds);
        assertThat(fleet.receivedIds()).containsAll(all.acceptedIds);
    }

    @Test
    void healthChecksTakeAnAnalyzerOutWithinTwoIntervalsAndBackWithinOne() throws Exception {
        // polls every 200 ms in these tests: out after two failed polls, back after one good one (plus slack for a busy box)
        start(Map.of());
        DemoAnalyzer third = fleet.get(2);
        third.control(DemoAnalyzer.Mode.UNHEALTHY, 0);
        await().atMost(Duration.ofMillis(2 * 200 + 1000)).pollInterval(Duration.ofMillis(20))
                .until(() -> !distributor.stats().at("/analyzers/2/eligible").asBoolean());
        long before = third.packets();
        Load.send(distributor, "unhealthy", 200, 4, i -> 2);
        assertThat(third.packets()).isEqualTo(before);

        third.control(DemoAnalyzer.Mode.NORMAL, 0);
        await().atMost(Duration.ofMillis(200 + 1000)).pollInterval(Duration.ofMillis(20))
                .until(() -> distributor.stats().at("/analyzers/2/eligible").asBoolean());
        Load.send(distributor, "healthy", 200, 4, i -> 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> third.packets() > before);
    }

    @Test
    void anAnalyzerAnswering500FailsOverToTheOthers() throws Exception {
        start(Map.of());
        fleet.get(0).control(DemoAnalyzer.Mode.FAIL, 0);
        Load load = Load.send(distributor, "fail", 500, 4, i -> 5);
        await().atMost(Duration.ofSeconds(20)).until(() -> fleet.totalPackets() == 500);
        assertThat(load.count(202)).isEqualTo(500);
        assertThat(fleet.get(0).packets()).isZero();
        JsonNode stats = distributor.stats();
        assertThat(stats.at("/totals/failed_over").asLong()).isPositive();
        assertThat(stats.at("/totals/dead_lettered").asLong()).isZero();
        // enough failures open its breaker, which takes it out of rotation before any health poll says so
        assertThat(stats.at("/analyzers/0/breaker").asText()).isIn("OPEN", "HALF_OPEN");
        assertThat(fleet.receivedIds()).containsExactlyInAnyOrderElementsOf(load.acceptedIds);
    }

    @Test
    void aFailedAttemptIsRetriedOnAnotherAnalyzerNotTheSameOne() throws Exception {
        // one attempt per analyzer at most: a retry that went back to the failing analyzer would dead-letter
        start(Map.of("distributor.delivery.max-attempts", "2", "distributor.breaker.minimum-calls", "1000"));
        fleet.get(0).control(DemoAnalyzer.Mode.FAIL, 0);
        Load load = Load.send(distributor, "retry", 100, 1, i -> 5);
        await().atMost(Duration.ofSeconds(20)).until(() -> fleet.totalPackets() == 100);
        JsonNode stats = distributor.stats();
        assertThat(stats.at("/totals/dead_lettered").asLong()).isZero();
        assertThat(stats.at("/totals/failed_over").asLong()).isPositive();
        assertThat(fleet.receivedIds()).containsExactlyInAnyOrderElementsOf(load.acceptedIds);
    }

    @Test
    void aHungAnalyzerTimesOutAndItsPacketsFailOver() throws Exception {
        start(Map.of("distributor.delivery.response-timeout-ms", "300"));
        fleet.get(1).control(DemoAnalyzer.Mode.HANG, 0);
        Load load = Load.send(distributor, "hang", 200, 4, i -> 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> fleet.totalPackets() == 200);
        assertThat(load.count(202)).isEqualTo(200);
        assertThat(fleet.get(1).packets()).isZero();
        assertThat(distributor.stats().at("/totals/failed_over").asLong()).isPositive();
        assertThat(fleet.receivedIds()).containsExactlyInAnyOrderElementsOf(load.acceptedIds);
    }

    @Test
    void withEveryAnalyzerDownIngestAnswers503AndHealthIsDown() throws Exception {
        start(Map.of());
        for (DemoAnalyzer analyzer : fleet.analyzers) {
            Fleet.await(analyzer.stop());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> distributor.get("/health").statusCode() == 503);
        JsonNode health = RunningDistributor.json(distributor.get("/health").body());
        assertThat(health.get("status").asText()).isEqualTo("DOWN");
        assertThat(health.get("healthy_analyzers").asInt()).isZero();
        assertThat(health.get("total_analyzers").asInt()).isEqualTo(4);

        var response = distributor.post(RunningDistributor.packet("down-1", 1));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(RunningDistributor.json(response.body()).get("error").asText()).isEqualTo("no_analyzer_available");

        Fleet.await(fleet.get(2).start());
        await().atMost(Duration.ofSeconds(5)).until(() -> distributor.get("/health").statusCode() == 200);
        assertThat(RunningDistributor.json(distributor.get("/health").body()).get("status").asText()).isEqualTo("DEGRADED");
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAndLosesNothingItAccepted() throws Exception {
        start(Map.of("distributor.queue.capacity", "5", "distributor.queue.consumers", "1",
                "distributor.delivery.response-timeout-ms", "5000"));
        fleet.analyzers.forEach(a -> a.control(DemoAnalyzer.Mode.SLOW, 200));
        Load load = Load.send(distributor, "full", 60, 6, i -> 2);
        assertThat(load.count(503)).isPositive();
        assertThat(load.count(202) + load.count(503)).isEqualTo(60);
        assertThat(load.retryAfterMissing.get()).isZero();
        assertThat(distributor.stats().at("/totals/rejected_by_reason/queue_full").asLong()).isEqualTo(load.count(503));
        fleet.analyzers.forEach(a -> a.control(DemoAnalyzer.Mode.NORMAL, 0));
        await().atMost(Duration.ofSeconds(20)).until(() -> fleet.totalPackets() == load.count(202));
        assertThat(fleet.receivedIds()).containsExactlyInAnyOrderElementsOf(load.acceptedIds);
    }
}
