package io.logsdistributor.demo;

import io.logsdistributor.analyzer.AnalyzerSpec;
import io.logsdistributor.analyzer.AnalyzersFile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts one {@link DemoAnalyzer} per entry of an analyzers file, on the port of its url, so that
 * the bundled analyzers.yaml has something to deliver to on a fresh machine.
 */
public final class DemoFleet {

    private DemoFleet() {
    }

    public static List<DemoAnalyzer> start(Vertx vertx, List<AnalyzerSpec> specs, boolean recordPacketIds) {
        List<DemoAnalyzer> fleet = new ArrayList<>();
        RunTracker runs = new RunTracker();
        for (AnalyzerSpec spec : specs) {
            int port = spec.url().getPort() > 0 ? spec.url().getPort() : 80;
            DemoAnalyzer analyzer = new DemoAnalyzer(vertx, spec.id(), port, recordPacketIds, runs,
                    new HttpServerOptions());
            analyzer.start().toCompletionStage().toCompletableFuture().join();
            fleet.add(analyzer);
        }
        return fleet;
    }

    /** {@code demo-analyzers [analyzers-file]}: runs until the process is stopped. */
    public static void run(String[] args) throws InterruptedException {
        Path file = Path.of(args.length > 0 ? args[0] : System.getenv().getOrDefault("ANALYZERS_FILE", "analyzers.yaml"));
        List<AnalyzerSpec> specs = AnalyzersFile.load(file);
        Vertx vertx = Vertx.vertx();
        for (DemoAnalyzer analyzer : start(vertx, specs, false)) {
            System.out.println("demo analyzer " + analyzer.id() + " listening on 127.0.0.1:" + analyzer.port()
                    + " (POST /control?mode=normal|fail|slow&delay_ms=N|hang|unhealthy|refuse|status&code=N)");
        }
        new CountDownLatch(1).await();
    }
}
