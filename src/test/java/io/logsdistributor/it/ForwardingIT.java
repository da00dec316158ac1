package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract §4 as an analyzer sees it: the packet's bytes as the agent sent them, POSTed with the content type
 * and the packet's three headers, and none of the agent's own headers (credentials included).
 */
class ForwardingIT {

    /** one request as the analyzer received it */
    record Received(String method, String path, Map<String, List<String>> headers, byte[] body) {
    }

    @TempDir
    Path dir;

    @Test
    void anAnalyzerReceivesThePacketBytesWithOnlyTheContractHeaders() throws Exception {
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        HttpServer analyzer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        analyzer.createContext("/", exchange -> {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(exchange.getRequestHeaders());
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                    exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/health") ? 200 : 202, -1);
            exchange.close();
        });
        analyzer.start();
        Path analyzers = Files.writeString(dir.resolve("analyzers.yaml"), "analyzers:\n  - id: only\n    url: http://127.0.0.1:"
                + analyzer.getAddress().getPort() + "/logs/in\n    weight: 1\n    health-url: http://127.0.0.1:"
                + analyzer.getAddress().getPort() + "/health\n");
        try (RunningDistributor distributor = RunningDistributor.start(analyzers, dir.resolve("data"), Map.of())) {
            // odd spacing and key order on purpose: the analyzer must get these bytes, not a re-serialisation
            String packet = "{ \"agent_id\":\"agent-7\",  \"packet_id\":\"fwd-1\",\"messages\":[{\"timestamp\":\"2026-11-22T10:00:00Z\","
                    + "\"message\":\"caf\u00e9 \\u00e9\",\"level\":\"info\",\"metadata\":{\"k\":[1,2]}},"
                    + "{\"timestamp\":1,\"level\":\"ERROR\",\"message\":\"m\"}] }";
            HttpRequest request = HttpRequest.newBuilder(distributor.uri("/ingest"))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("Authorization", "Bearer agent-secret")
                    .header("X-Custom", "agent-only")
                    .header("Cookie", "session=1")
                    .POST(HttpRequest.BodyPublishers.ofString(packet, StandardCharsets.UTF_8)).build();
            assertThat(distributor.send(request).statusCode()).isEqualTo(202);

            Received delivery = null;
            for (Received r = received.poll(10, TimeUnit.SECONDS); r != null; r = received.poll(10, TimeUnit.SECONDS)) {
                if (!r.path().equals("/health")) {
                    delivery = r;
                    break;
                }
            }
            assertThat(delivery).as("a delivery within 10 s").isNotNull();
            assertThat(delivery.method()).isEqualTo("POST");
            assertThat(delivery.path()).isEqualTo("/logs/in");
            assertThat(delivery.body()).isEqualTo(packet.getBytes(StandardCharsets.UTF_8));
            assertThat(delivery.headers().get("Content-Type")).containsExactly("application/json");
            assertThat(delivery.headers().get("X-Packet-Id")).containsExactly("fwd-1");
            assertThat(delivery.headers().get("X-Agent-Id")).containsExactly("agent-7");
            assertThat(delivery.headers().get("X-Message-Count")).containsExactly("2");
            assertThat(delivery.headers().get("Content-Length")).containsExactly(String.valueOf(delivery.body().length));
            assertThat(delivery.headers()).doesNotContainKeys("Authorization", "X-Custom", "Cookie", "Transfer-Encoding")
                    .allSatisfy((name, values) -> assertThat(name.toLowerCase()).doesNotStartWith("camel"));
        } finally {
            analyzer.stop(0);
        }
    }
}
