package io.logsdistributor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.logsdistributor.security.ApiKeyRegistry;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API key checked from the request head, ahead of the body handler on a real server. */
class HeadAuthenticationTest {

    private static final String KEY = "k7-" + "a".repeat(40);

    @TempDir
    Path dir;
    private final Map<String, Integer> rejected = new ConcurrentHashMap<>();
    private final AtomicInteger bodiesRead = new AtomicInteger();
    private TestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void withoutOneOfOurKeysAnythingButHealthGets401AndTheConnectionCloses() throws Exception {
        start(ApiKeyRegistry.load(keysFile()));

        for (HttpRequest.Builder request : new HttpRequest.Builder[] {ingest(), ingest().header("Authorization", "Bearer nope"),
            ingest().header("Authorization", "Basic " + KEY), ingest().header("X-API-Key", KEY).header("X-API-Key", KEY),
            HttpRequest.newBuilder(server.uri("/stats")), HttpRequest.newBuilder(server.uri("/no-such-path"))}) {
            HttpResponse<String> response = server.send(request);
            assertThat(response.statusCode()).as(response.request().toString()).isEqualTo(401);
            assertThat(response.body()).isEqualTo("{\"error\":\"unauthorized\"}");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(response.headers().firstValue("Connection")).hasValue("close");
        }
        assertThat(bodiesRead).hasValue(0);
        assertThat(rejected).as("/ingest refusals count as rejected packets").containsExactly(Map.entry("unauthorized", 4));
    }

    @Test
    void ourKeyPassesAsBearerOrXApiKeyAndHealthNeedsNone() throws Exception {
        start(ApiKeyRegistry.load(keysFile()));

        assertThat(server.send(ingest().header("Authorization", "Bearer " + KEY)).statusCode()).isEqualTo(202);
        assertThat(server.send(ingest().header("X-API-Key", KEY)).statusCode()).isEqualTo(202);
        assertThat(server.send(HttpRequest.newBuilder(server.uri("/no-such-path")).header("X-API-Key", KEY)).statusCode())
                .isEqualTo(404);
        // the health endpoints for probes, and the status page, which holds no data (it asks for a key)
        for (String open : new String[] {"/health", "/observe/health", "/observe/health/live", "/observe/health/ready",
            "/", "/status"}) {
            assertThat(server.get(open).statusCode()).as(open).isEqualTo(200);
        }
        assertThat(bodiesRead).hasValue(2);
    }

    @Test
    void theKeyIsCheckedBeforeAnyOfTheBodyArrives() throws Exception {
        start(ApiKeyRegistry.load(keysFile()));

        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            // a head announcing a megabyte, and not one byte of it
            socket.getOutputStream().write(("POST /ingest HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 401");
            in.readNBytes(in.available());
            // the server waits a moment for the body it will drop, then closes
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(bodiesRead).hasValue(0);
    }

    @Test
    void withKeysOffEverythingPasses() throws Exception {
        start(ApiKeyRegistry.disabled());

        assertThat(server.send(ingest()).statusCode()).isEqualTo(202);
        assertThat(server.get("/no-such-path").statusCode()).isEqualTo(404);
        assertThat(rejected).isEmpty();
    }

    private void start(ApiKeyRegistry keys) {
        server = new TestServer();
        server.router.route().order(Integer.MIN_VALUE).handler(new HeadAuthentication(keys,
                reason -> rejected.merge(reason, 1, Integer::sum)));
        server.router.route().handler(BodyHandler.create());
        server.router.post("/ingest").handler(ctx -> {
            bodiesRead.incrementAndGet();
            ctx.response().setStatusCode(202).end();
        });
        for (String open : new String[] {"/health", "/observe/health", "/observe/health/live", "/observe/health/ready",
            "/stats", "/", "/status"}) {
            server.router.get(open).handler(ctx -> ctx.response().end("{}"));
        }
        server.start();
    }

    private HttpRequest.Builder ingest() {
        return HttpRequest.newBuilder(server.uri("/ingest")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"packet_id\":\"p\"}"));
    }

    private Path keysFile() throws Exception {
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(KEY.getBytes(StandardCharsets.UTF_8)));
        return Files.writeString(dir.resolve("keys.yaml"), "keys:\n  - agent: agent-7\n    sha256: " + digest + "\n");
    }
}
