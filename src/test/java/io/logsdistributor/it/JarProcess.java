package io.logsdistributor.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** The packaged jar as operators run it, as a process of its own that a test can kill -9. */
final class JarProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "logs-distributor.jar").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    final int port;
    final Process process;
    final Path log;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private JarProcess(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the jar with exactly these JVM flags and environment (which sets HTTP_PORT, and may set
     * HTTP_HOST; the port is -1 when it does not).
     */
    static JarProcess start(Path log, List<String> jvmFlags, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new JarProcess(Integer.parseInt(env.getOrDefault("HTTP_PORT", "-1")), builder.start(), log);
    }

    /** The flags of jvm.options (contract §1): the heap limit and GC the project recommends. */
    static List<String> recommendedJvmFlags() throws IOException {
        return Files.readAllLines(Path.of("jvm.options")).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    /** Starts the jar with the project's JVM flags (jvm.options) and these environment variables. */
    static JarProcess start(Map<String, String> env, Path log, String... jvmFlags) throws IOException {
        return start(freePort(), env, log, jvmFlags);
    }

    static JarProcess start(int port, Map<String, String> env, Path log, String... jvmFlags) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin(), "@" + Path.of("jvm.options").toAbsolutePath()));
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("HTTP_PORT", String.valueOf(port));
        builder.environment().put("HTTP_HOST", "127.0.0.1");
        builder.environment().putAll(env);
        return new JarProcess(port, builder.start(), log);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri("/ingest")).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode stats() throws IOException, InterruptedException {
        return JSON.readTree(get("/stats").body());
    }

    /** True once the distributor answers its readiness probe with 200. */
    boolean ready() {
        try {
            return get("/observe/health/ready").statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no drain, as an OOM kill or a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the graceful shutdown a container runtime starts with. */
    void terminate() {
        process.destroy();
    }

    boolean exited(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** SIGTERM, then wait for the drain to end. */
    int terminate(Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the distributor did not exit within " + within + " of SIGTERM");
        }
        return process.exitValue();
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
