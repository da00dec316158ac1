package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logsdistributor.demo.DemoAnalyzer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar as operators run it: start-up errors, and SIGTERM draining the queue before exit. */
class PackagedJarIT {

    private static final Path JAR = Path.of("target", "logs-distributor.jar").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void anInvalidAnalyzersFileStopsStartUpWithOneLineAndExitCode2() throws Exception {
        Path file = Files.writeString(dir.resolve("analyzers.yaml"),
                "analyzers:\n  - id: a\n    url: http://127.0.0.1:9/ingest\n    weight: -1\n");
        Result result = run(Map.of("ANALYZERS_FILE", file.toString(), "HTTP_PORT", String.valueOf(freePort())));
        assertThat(result.exit).isEqualTo(2);
        assertThat(result.stderr.strip()).isEqualTo(
                "logs-distributor: configuration error: " + file + ": analyzers[0].weight: -1 must be a finite number > 0");
    }

    @Test
    void aBadPropertyStopsStartUpNamingIt() throws Exception {
        Result result = run(Map.of("ANALYZERS_FILE", Path.of("analyzers.yaml").toAbsolutePath().toString(),
                "DISTRIBUTOR_QUEUE_CONSUMERS", "many", "HTTP_PORT", String.valueOf(freePort())));
        assertThat(result.exit).isEqualTo(2);
        assertThat(result.stderr).contains("property distributor.queue.consumers (env DISTRIBUTOR_QUEUE_CONSUMERS): "
                + "'many' is not a whole number");
    }

    @Test
    void sigtermDrainsTheQueueToTheAnalyzersBeforeExiting() throws Exception {
        try (Fleet fleet = new Fleet(0.6, 0.4)) {
            fleet.analyzers.forEach(a -> a.control(DemoAnalyzer.Mode.SLOW, 20));
            int port = freePort();
            ProcessBuilder builder = new ProcessBuilder(List.of(javaBin(), "-jar", JAR.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("distributor.log").toFile());
            builder.environment().putAll(Map.of("ANALYZERS_FILE", fleet.writeAnalyzersFile(dir).toString(),
                    "HTTP_PORT", String.valueOf(port), "HTTP_HOST", "127.0.0.1",
                    "DISTRIBUTOR_DATA_DIR", dir.resolve("data").toString(), "DISTRIBUTOR_QUEUE_CONSUMERS", "2"));
            Process process = builder.start();
            try {
                HttpClient client = HttpClient.newHttpClient();
                URI base = URI.create("http://127.0.0.1:" + port);
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> client.send(
                        HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200);
                List<String> accepted = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    String id = "term-" + i;
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/ingest"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(RunningDistributor.packet(id, 2))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(202);
                    accepted.add(id);
                }
                assertThat(fleet.totalPackets()).isLessThan(200);

                process.destroy();
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

                assertThat(fleet.receivedIds()).containsAll(accepted);
                assertThat(Files.readString(dir.resolve("distributor.log"))).contains("Shutting down: refusing new packets");
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private Result run(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(javaBin(), "-jar", JAR.toString()))
                .redirectError(dir.resolve("stderr.txt").toFile()).redirectOutput(dir.resolve("stdout.txt").toFile());
        builder.environment().putAll(env);
        builder.environment().put("DISTRIBUTOR_DATA_DIR", dir.resolve("data").toString());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the distributor did not stop on a configuration error");
        }
        return new Result(process.exitValue(), Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8));
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Result(int exit, String stderr) {
    }
}
