package io.logsdistributor.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.logsdistributor.demo.DemoAnalyzer;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the generator for a few hundred packets against an in-process demo analyzer. */
class LoadGeneratorTest {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static DemoAnalyzer analyzer(String id) {
        return new DemoAnalyzer(vertx, id, 0, true).start().toCompletionStage().toCompletableFuture().join();
    }

    private static LoadOptions options(int port, String... more) {
        String[] base = {"--url", "http://127.0.0.1:" + port + "/ingest", "--connections", "4",
            "--event-loops", "1", "--pool", "50", "--forward-headers", "--timeout", "10s"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return LoadOptions.parse(args);
    }

    @Test
    void closedLoopSendsWarmupPlusMeasuredPacketsAndTalliesThem() throws Exception {
        DemoAnalyzer analyzer = analyzer("a");
        LoadReport r = LoadGenerator.execute(options(analyzer.port(), "--packets", "300", "--warmup", "50"), false);

        assertThat(r.warmupPacketsSent()).isEqualTo(50);
        assertThat(r.packetsSent()).isEqualTo(300);
        assertThat(r.packetsCompleted()).isEqualTo(300);
        assertThat(r.statusCounts()).containsExactly(java.util.Map.entry(200, 300L));
        assertThat(r.errorTotal()).isZero();
        assertThat(r.packetsAccepted()).isEqualTo(300);
        // the analyzer got every packet, warm-up included, each under its own id, with the counted messages
        assertThat(analyzer.packets()).isEqualTo(350);
        assertThat(analyzer.packetIds()).hasSize(350);
        assertThat(analyzer.messages()).isEqualTo(r.totalMessagesAccepted()).isEqualTo(r.totalMessagesSent());
        assertThat(r.messagesAccepted()).isEqualTo(r.messagesSent()).isLessThan(r.totalMessagesSent());
        assertThat(r.latencyMillis(50)).isPositive();
        assertThat(r.maxLatencyMillis()).isGreaterThanOrEqualTo(r.latencyMillis(99));
        assertThat(r.elapsedSeconds()).isPositive();
        analyzer.stop().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void runsTheAfterWarmupCommandBetweenThePhases(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        DemoAnalyzer analyzer = analyzer("d");
        java.nio.file.Path marker = dir.resolve("warm");
        LoadReport r = LoadGenerator.execute(options(analyzer.port(), "--packets", "30", "--warmup", "20",
                "--after-warmup", "echo done > '" + marker + "'"), false);

        assertThat(marker).hasContent("done");
        assertThat(r.warmupPacketsSent()).isEqualTo(20);
        assertThat(r.packetsSent()).isEqualTo(30);
        assertThat(analyzer.packets()).isEqualTo(50);
        analyzer.stop().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void rateLimitedRunSendsTheRequestedPackets() throws Exception {
        DemoAnalyzer analyzer = analyzer("b");
        LoadReport r = LoadGenerator.execute(options(analyzer.port(), "--packets", "200", "--rate", "2000"), false);

        assertThat(r.packetsSent()).isEqualTo(200);
        assertThat(r.statusCount(200)).isEqualTo(200);
        assertThat(analyzer.packets()).isEqualTo(200);
        assertThat(analyzer.messages()).isEqualTo(r.messagesAccepted());
        assertThat(r.toJson(options(analyzer.port(), "--rate", "2000")))
                .contains("\"mode\":\"rate\"", "\"packets_accepted\":200", "\"status\":{\"200\":200}");
        analyzer.stop().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void countsRefusalsByStatusAndDoesNotCallThemAccepted() throws Exception {
        DemoAnalyzer analyzer = analyzer("c");
        analyzer.control(DemoAnalyzer.Mode.REFUSE, 0);
        LoadReport r = LoadGenerator.execute(options(analyzer.port(), "--packets", "100"), false);

        assertThat(r.statusCounts()).containsExactly(java.util.Map.entry(422, 100L));
        assertThat(r.packetsAccepted()).isZero();
        assertThat(r.messagesAccepted()).isZero();
        assertThat(analyzer.packets()).isZero();
        analyzer.stop().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void countsConnectionErrorsWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LoadReport r = LoadGenerator.execute(options(port, "--packets", "20"), false);

        assertThat(r.packetsCompleted()).isEqualTo(20);
        assertThat(r.errorTotal()).isEqualTo(20);
        assertThat(r.statusCounts()).isEmpty();
        assertThat(r.toJson(options(port))).contains("\"errors\":{\"");
    }
}
