package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.logsdistributor.demo.DemoAnalyzer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Analyzers that answer wrongly, slowly, flap or stall their health endpoint (contract §4, §5): packets
 * fail over instead of being dead-lettered, the misbehaving analyzer leaves the rotation, the others
 * keep their shares and the queue keeps moving, and a recovered analyzer comes back gradually.
 */
class MisbehavingAnalyzersIT extends FleetTest {

    private static final double[] WEIGHTS = {0.4, 0.3, 0.2, 0.1};

    private void start(Map<String, String> overrides) throws Exception {
        fleet = new Fleet(WEIGHTS);
        Map<String, String> settings = new HashMap<>(Map.of("distributor.breaker.open-ms", "1000",
                "distributor.balance.slow-start-s", "3"));
        settings.putAll(overrides);
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"), settings);
    }

    private JsonNode analyzer(int index) throws Exception {
        return distributor.stats().at("/analyzers/" + index);
    }

    @Test
    void anAnalyzerAnswering404LeavesTheRotationInsteadOfSwallowingItsShareAndComesBackGradually() throws Exception {
        start(Map.of());
        DemoAnalyzer heaviest = fleet.get(0);
        heaviest.answer(404);
        long started = System.nanoTime();
        Load load = Load.send(distributor, "p404", 3000, 8, i -> 1 + i % 20);
        assertThat(load.count(202)).isEqualTo(3000);
        await().atMost(Duration.ofSeconds(30)).until(() -> distributor.stats().at("/totals/delivered").asLong() == 3000);
        JsonNode stats = distributor.stats();
        assertThat(stats.at("/totals/dead_lettered").asLong()).as("dead-lettered").isLessThanOrEqualTo(30);
        assertThat(fleet.receivedIds()).containsAll(load.acceptedIds);
        assertThat(heaviest.packets()).isZero();
        assertThat(stats.at("/totals/failed_over").asLong()).isGreaterThan(0);

        // out of rotation within 2 s of the first 404: a handful of failovers, not 40 % of the traffic
        assertThat(stats.at("/totals/retried").asLong()).isLessThan(100);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));

        // answering 2xx again: half-open trial, then its share ramps up over the slow-start window
        heaviest.control(DemoAnalyzer.Mode.NORMAL, 0);
        AtomicBoolean ramped = new AtomicBoolean();
        try (Trickle trickle = new Trickle(distributor, "back")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "CLOSED".equals(analyzer(0).get("breaker").asText()));
            double rejoined = analyzer(0).get("target_share").asDouble();
            assertThat(rejoined).as("target share just after rejoining").isLessThan(0.3);
            await().atMost(Duration.ofSeconds(15)).until(() -> analyzer(0).get("target_share").asDouble() > 0.399);
            ramped.set(true);
        }
        assertThat(ramped).isTrue();
        assertThat(distributor.stats().at("/totals/dead_lettered").asLong()).isLessThanOrEqualTo(30);
    }

    @Test
    void noGoodPacketIsDeadLetteredWhileAnAnalyzerRecoversThroughHalfOpen() throws Exception {
        start(Map.of("distributor.delivery.max-attempts", "2"));
        DemoAnalyzer flaky = fleet.get(0);
        try (Trickle trickle = new Trickle(distributor, "half")) {
            for (int round = 0; round < 3; round++) {
                flaky.control(DemoAnalyzer.Mode.FAIL, 0);
                await().atMost(Duration.ofSeconds(10)).until(() -> "OPEN".equals(analyzer(0).get("breaker").asText()));
                flaky.control(DemoAnalyzer.Mode.NORMAL, 0);
                await().atMost(Duration.ofSeconds(10)).until(() -> "CLOSED".equals(analyzer(0).get("breaker").asText()));
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> distributor.stats().at("/queue/packets").asLong() == 0);
        // 16 consumers competing for 3 half-open trials, twice per recovery, with only 2 attempts per packet
        assertThat(distributor.stats().at("/totals/dead_lettered").asLong()).isZero();
    }

    @Test
    void aSlowAnalyzerNeitherHoldsTheQueueHostageNorFloodsWhenItRecovers() throws Exception {
        start(Map.of());
        DemoAnalyzer heaviest = fleet.get(0);
        heaviest.control(DemoAnalyzer.Mode.SLOW, 800);
        Load load = Load.send(distributor, "slow", 4000, 32, i -> 1 + i % 10);
        assertThat(load.count(503)).as("503 while three analyzers had room").isZero();
        assertThat(load.count(202)).isEqualTo(4000);
        // with every consumer waiting on the slow analyzer this would take 40 % x 4000 x 0.8 s / 16 = 80 s
        await().atMost(Duration.ofSeconds(20)).until(() -> fleet.receivedIds().containsAll(load.acceptedIds));
        JsonNode slow = analyzer(0);
        assertThat(slow.get("in_flight").asInt()).isLessThanOrEqualTo(slow.get("max_in_flight").asInt());
        assertThat(slow.get("forgone_messages").asLong()).isGreaterThan(0);
        // the others kept their shares among themselves
        long others = fleet.get(1).messages() + fleet.get(2).messages() + fleet.get(3).messages();
        assertThat((double) fleet.get(1).messages() / others).isCloseTo(0.5, Offset.offset(0.02));
        assertThat((double) fleet.get(3).messages() / others).isCloseTo(1 / 6.0, Offset.offset(0.02));

        heaviest.control(DemoAnalyzer.Mode.NORMAL, 0);
        try (Trickle trickle = new Trickle(distributor, "probe")) {
            // the half-open trials need traffic to succeed
            await().atMost(Duration.ofSeconds(20)).until(() -> "CLOSED".equals(analyzer(0).get("breaker").asText()));
        }
        long before = heaviest.packets();
        Load after = Load.send(distributor, "after", 400, 4, i -> 5);
        assertThat(after.count(202)).isEqualTo(400);
        await().atMost(Duration.ofSeconds(30)).until(() -> fleet.receivedIds().containsAll(after.acceptedIds));
        // it catches up by at most a packet or two: no flood of the 400 to the one that was behind
        assertThat(heaviest.packets() - before).isLessThan(200);
    }

    @Test
    void anAnalyzerFlappingUpAndDownLosesNothingAndDeadLettersNothing() throws Exception {
        start(Map.of());
        DemoAnalyzer flapping = fleet.get(1);
        List<String> accepted = new ArrayList<>();
        try (Trickle trickle = new Trickle(distributor, "flap")) {
            for (int i = 0; i < 8; i++) {
                Fleet.await(flapping.stop());
                Thread.sleep(1000);
                Fleet.await(flapping.start());
                Thread.sleep(1000);
            }
            trickle.close();
            accepted.addAll(trickle.accepted());
        }
        assertThat(accepted).hasSizeGreaterThan(100);
        await().atMost(Duration.ofSeconds(30)).until(() -> fleet.receivedIds().containsAll(accepted));
        assertThat(distributor.stats().at("/totals/dead_lettered").asLong()).isZero();
    }

    @Test
    void aHealthEndpointThatStallsItsBodyDoesNotHoldTheOtherAnalyzersHealthChecks() throws Exception {
        fleet = new Fleet(0.5, 0.5);
        try (StallingHealth stalling = new StallingHealth()) {
            String yaml = Files.readString(fleet.writeAnalyzersFile(dir)) + "  - id: stalling\n    url: http://127.0.0.1:"
                    + stalling.port() + "/ingest\n    weight: 0.5\n";
            distributor = RunningDistributor.start(Files.writeString(dir.resolve("with-stalling.yaml"), yaml),
                    dir.resolve("data"), Map.of("distributor.health.interval-ms", "300", "distributor.health.timeout-ms", "500"));
            // its status line says 200: the stalled body is never waited for
            await().atMost(Duration.ofSeconds(10)).until(() -> stalling.requests.get() >= 2);
            long polls = stalling.requests.get();
            fleet.get(0).control(DemoAnalyzer.Mode.UNHEALTHY, 0);
            // two polls at most 300 ms apart, each bounded by its 500 ms timeout
            await().atMost(Duration.ofSeconds(3)).until(() -> !distributor.stats().at("/analyzers/0/healthy").asBoolean());
            fleet.get(0).control(DemoAnalyzer.Mode.NORMAL, 0);
            await().atMost(Duration.ofSeconds(3)).until(() -> distributor.stats().at("/analyzers/0/healthy").asBoolean());
            assertThat(stalling.requests.get()).as("the stalling endpoint kept being polled").isGreaterThan(polls);
        }
    }

    /** A health endpoint that sends its status line and headers, then never the body it announced. */
    private static final class StallingHealth implements AutoCloseable {

        final AtomicLong requests = new AtomicLong();
        private final ServerSocket server = new ServerSocket(0);
        private final List<Socket> held = new ArrayList<>();
        private final Thread acceptor;

        StallingHealth() throws IOException {
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        InputStream in = socket.getInputStream();
                        in.read(new byte[4096]);
                        requests.incrementAndGet();
                        OutputStream out = socket.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"st"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        synchronized (held) {
                            held.add(socket);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (held) {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }
}
