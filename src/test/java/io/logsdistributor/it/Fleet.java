package io.logsdistributor.it;

import io.logsdistributor.demo.DemoAnalyzer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** In-process demo analyzers on free ports, and the analyzers.yaml that points at them. */
final class Fleet implements AutoCloseable {

    final Vertx vertx = Vertx.vertx();
    final List<DemoAnalyzer> analyzers = new ArrayList<>();
    final double[] weights;

    Fleet(double... weights) {
        this.weights = weights;
        for (int i = 0; i < weights.length; i++) {
            DemoAnalyzer analyzer = new DemoAnalyzer(vertx, "analyzer-" + (i + 1), 0, true);
            await(analyzer.start());
            analyzers.add(analyzer);
        }
    }

    DemoAnalyzer get(int index) {
        return analyzers.get(index);
    }

    Path writeAnalyzersFile(Path dir) throws IOException {
        StringBuilder yaml = new StringBuilder("analyzers:\n");
        for (int i = 0; i < analyzers.size(); i++) {
            DemoAnalyzer a = analyzers.get(i);
            yaml.append("  - id: ").append(a.id()).append('\n')
                    .append("    url: http://127.0.0.1:").append(a.port()).append("/ingest\n")
                    .append("    weight: ").append(weights[i]).append('\n');
        }
        return Files.writeString(dir.resolve("analyzers.yaml"), yaml);
    }

    long totalPackets() {
        return analyzers.stream().mapToLong(DemoAnalyzer::packets).sum();
    }

    long totalMessages() {
        return analyzers.stream().mapToLong(DemoAnalyzer::messages).sum();
    }

    Set<String> receivedIds() {
        Set<String> ids = new HashSet<>();
        analyzers.forEach(a -> ids.addAll(a.packetIds()));
        return ids;
    }

    static <T> T await(io.vertx.core.Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().join();
    }

    @Override
    public void close() {
        await(vertx.close());
    }
}
