package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logsdistributor.http.DistributorHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each abuse limit against the real server, with small limits and timeouts: oversized headers,
 * messages and nesting, slow and stalled clients, too many connections, and an agent over the
 * default rate. Body size and messages per packet are covered by {@link IngestAnswersIT}.
 */
class AbuseLimitsIT {

    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** Timers fire on an event loop of a machine shared with other builds: allow for that. */
    private static final Duration SLACK = Duration.ofMillis(1500);

    @TempDir
    static Path dir;
    private static Fleet fleet;
    private static RunningDistributor distributor;

    @BeforeAll
    static void start() throws Exception {
        fleet = new Fleet(1);
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"), Map.of(
                "distributor.http.max-header-bytes", "2048",
                "distributor.http.header-timeout-s", String.valueOf(HEADER_TIMEOUT.toSeconds()),
                "distributor.http.request-timeout-s", String.valueOf(REQUEST_TIMEOUT.toSeconds()),
                "distributor.http.idle-timeout-s", "5",
                "distributor.max-message-chars", "100",
                "distributor.max-json-depth", "8",
                "distributor.rate-limit.messages-per-second", "1000"));
        await().atMost(Duration.ofSeconds(10)).until(() -> post(RunningDistributor.packet("up", 1)).statusCode() == 202);
    }

    @AfterAll
    static void stop() throws Exception {
        distributor.close();
        fleet.close();
    }

    @Test
    void headersOverTheLimitGet431() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(distributor.uri("/ingest"))
                .header("Content-Type", "application/json").header("X-Padding", "p".repeat(3000))
                .POST(HttpRequest.BodyPublishers.ofString(RunningDistributor.packet("big-header", 1))).build());

        assertThat(response.statusCode()).isEqualTo(431);
    }

    @Test
    void aMessageOverTheLengthLimitGets400NamingIt() throws Exception {
        String atLimit = RunningDistributor.packet("long-ok", 2).replace("message 1", "m".repeat(100));
        String overLimit = RunningDistributor.packet("long", 2).replace("message 1", "m".repeat(101));

        assertThat(post(atLimit).statusCode()).isEqualTo(202);
        HttpResponse<String> response = post(overLimit);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(RunningDistributor.json(response.body()).get("detail").asText())
                .isEqualTo("messages[1].message: longer than 100 characters");
    }

    @Test
    void nestingDeeperThanTheLimitGets400() throws Exception {
        String deep = "{\"a\":".repeat(20) + "1" + "}".repeat(20);
        HttpResponse<String> response = post(RunningDistributor.packet("deep", 1)
                .replace("\"message\":\"message 0\"", "\"message\":\"m\",\"metadata\":" + deep));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(RunningDistributor.json(response.body()).get("detail").asText()).startsWith("body:").contains("depth");
    }

    @Test
    void aClientTricklingHeaderBytesIsClosedWithinTheHeaderTimeout() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("POST /ingest HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            // one header byte every 200 ms: never idle, never done; 30 bytes would take 6 s
            Duration closedAfter = timeUntilClosed(socket, "X-Slow: aaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII));

            assertThat(closedAfter).isLessThan(HEADER_TIMEOUT.plus(SLACK));
        }
    }

    @Test
    void aConnectionThatNeverSendsARequestIsClosedWithinTheHeaderTimeout() throws Exception {
        try (Socket socket = connect()) {
            assertThat(timeUntilClosed(socket, new byte[0])).isLessThan(HEADER_TIMEOUT.plus(SLACK));
        }
    }

    @Test
    void aStalledBodyIsClosedWithinTheRequestTimeout() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("POST /ingest HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"packet_id\":").getBytes(StandardCharsets.US_ASCII));

            assertThat(timeUntilClosed(socket, new byte[0])).isLessThan(REQUEST_TIMEOUT.plus(SLACK));
        }
    }

    @Test
    void anAgentOverTheDefaultRateGets429WithRetryAfter() throws Exception {
        // 1000 messages/s with a burst of 1000: two packets of 400 pass, the third at once does not
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> last = null;
        for (int i = 0; i < 3; i++) {
            last = post(RunningDistributor.packet("flood-" + i, 400).replace("agent-it", "agent-flood"));
            statuses.add(last.statusCode());
        }

        assertThat(statuses).containsExactly(202, 202, 429);
        assertThat(last.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(RunningDistributor.json(last.body()).get("error").asText()).isEqualTo("rate_limited");
        assertThat(post(RunningDistributor.packet("other-agent", 400)).statusCode()).isEqualTo(202);
    }

    @Test
    void aConnectionOverTheCapIsClosedWhileTheOthersAreServed() throws Exception {
        try (RunningDistributor capped = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data-capped"),
                Map.of("distributor.http.max-connections", "3"))) {
            DistributorHttpServer server = capped.context().getRegistry().lookupByNameAndType("httpServer",
                    DistributorHttpServer.class);
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(new Socket("127.0.0.1", capped.port));
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 3);

                try (Socket extra = new Socket("127.0.0.1", capped.port)) {
                    assertThat(timeUntilClosed(extra, new byte[0])).isLessThan(SLACK);
                }
                assertThat(server.refusedConnections()).isEqualTo(1);
                assertThat(healthAnswer(held.get(0))).startsWith("HTTP/1.1 ");
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
            try (Socket again = new Socket("127.0.0.1", capped.port)) {
                assertThat(healthAnswer(again)).startsWith("HTTP/1.1 ");
            }
        }
    }

    private static Socket connect() throws IOException {
        return new Socket("127.0.0.1", distributor.port);
    }

    private static String healthAnswer(Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] head = socket.getInputStream().readNBytes(9);
        return new String(head, StandardCharsets.US_ASCII);
    }

    /**
     * Writes {@code trickle} one byte per read timeout and returns how long the server took to close
     * the connection (end of stream or reset); gives up after 10 s.
     */
    private static Duration timeUntilClosed(Socket socket, byte[] trickle) throws IOException {
        long start = System.nanoTime();
        socket.setSoTimeout(200);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        int next = 0;
        while (System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
            try {
                if (next < trickle.length) {
                    out.write(trickle[next++]);
                    out.flush();
                }
                if (in.read() == -1) {
                    break;
                }
            } catch (SocketTimeoutException e) {
                // still open: go on trickling
            } catch (IOException e) {
                break;
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * One connection per request: with a 1 s header timeout the server closes idle keep-alive
     * connections, and a pooled client could send on one just as it closes (a race every client of a
     * server with a keep-alive timeout has, and not what these tests are about).
     */
    private static HttpResponse<String> send(HttpRequest request) throws java.io.IOException, InterruptedException {
        return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String body) throws java.io.IOException, InterruptedException {
        return send(HttpRequest.newBuilder(distributor.uri("/ingest")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
