package io.logsdistributor.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logsdistributor.DistributorConfiguration;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The distributor started the way {@code java -jar} starts it (camel-main, the bundled
 * application.properties and YAML routes), in this JVM, on a free port, with test overrides.
 */
final class RunningDistributor implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Main main = new Main();
    final int port;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private RunningDistributor(Path analyzersFile, Path dataDir, Map<String, String> overrides) throws Exception {
        port = freePort();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("distributor.http.port", String.valueOf(port));
        props.put("distributor.http.host", "127.0.0.1");
        props.put("distributor.analyzers-file", analyzersFile.toString());
        props.put("distributor.data-dir", dataDir.toString());
        props.put("distributor.health.interval-ms", "200");
        // a busy 2-core CI box can take longer than the 200 ms interval to answer a health check
        props.put("distributor.health.timeout-ms", "1000");
        props.put("distributor.delivery.response-timeout-ms", "3000");
        props.put("distributor.shutdown-timeout-s", "10");
        props.putAll(overrides);
        main.configure().addConfiguration(DistributorConfiguration.class);
        props.forEach(main::addOverrideProperty);
        main.start();
    }

    static RunningDistributor start(Path analyzersFile, Path dataDir, Map<String, String> overrides) throws Exception {
        return new RunningDistributor(analyzersFile, dataDir, overrides);
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/ingest")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    JsonNode stats() throws IOException, InterruptedException {
        return JSON.readTree(get("/stats").body());
    }

    static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }

    static String packet(String id, int messages) {
        StringBuilder body = new StringBuilder(64 + messages * 90)
                .append("{\"packet_id\":\"").append(id).append("\",\"agent_id\":\"agent-it\",\"messages\":[");
        for (int i = 0; i < messages; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"timestamp\":\"2026-11-22T10:00:00Z\",\"level\":\"INFO\",\"message\":\"message ")
                    .append(i).append("\"}");
        }
        return body.append("]}").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
