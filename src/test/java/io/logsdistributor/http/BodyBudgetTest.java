package io.logsdistributor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The budget of request bodies in memory, ahead of Vert.x's body handler on a real server: what is
 * reserved, what is refused, and that every way a request can end gives its reservation back.
 */
class BodyBudgetTest {

    private static final long CAPACITY = 1024 * 1024;
    private static final long MAX_BODY = 700 * 1024;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

    private final Map<String, Integer> rejected = new ConcurrentHashMap<>();
    private final AtomicLong reservedInRoute = new AtomicLong(-1);
    private final BlockingQueue<RoutingContext> held = new LinkedBlockingQueue<>();
    private TestServer server;
    private BodyBudget budget;

    @BeforeEach
    void start() {
        server = new TestServer();
        budget = new BodyBudget(settings(), reason -> rejected.merge(reason, 1, Integer::sum));
        server.router.route().order(Integer.MIN_VALUE).handler(budget);
        server.router.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY).setPreallocateBodyBuffer(false));
        server.router.post("/ingest").handler(ctx -> {
            reservedInRoute.set(budget.reservedBytes());
            ctx.response().setStatusCode(202).end("{}");
        });
        // answers only when the test says so
        server.router.post("/held").handler(held::add);
        // never answers
        server.router.post("/void").handler(ctx -> {
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aBodyIsReservedUntilItsAnswerAndThenGivenBack() throws Exception {
        HttpResponse<String> response = server.post("/ingest", "x".repeat(1000));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(reservedInRoute.get()).isEqualTo(1000);
        await().atMost(Duration.ofSeconds(5)).until(() -> budget.reservedBytes() == 0);
    }

    @Test
    void aLargeBodyThatDoesNotFitIsRefusedAtOnceWhileSmallOnesStillPass() throws Exception {
        // 700 KiB held half-sent: large bodies may use three quarters (768 KiB), small ones all of it
        try (Socket stalled = socket()) {
            sendHead(stalled, "/ingest", 700 * 1024, "Content-Length: " + 700 * 1024);
            stalled.getOutputStream().write(new byte[1000]);
            await().atMost(Duration.ofSeconds(5)).until(() -> budget.reservedBytes() == 700 * 1024);

            try (Socket large = socket()) {
                sendHead(large, "/ingest", 100 * 1024, "Content-Length: " + 100 * 1024);
                String answer = answer(large);
                assertThat(answer).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after: 1").contains("connection: close")
                        .endsWith("{\"error\":\"overloaded\",\"retry_after_s\":1}");
            }
            assertThat(server.post("/ingest", "y".repeat(60 * 1024)).statusCode()).isEqualTo(202);
            assertThat(budget.refused()).isEqualTo(1);
            assertThat(rejected).containsExactly(Map.entry("overloaded", 1));

            // a reset, not a close: the budget must come back all the same
            stalled.setSoLinger(true, 0);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> budget.reservedBytes() == 0);
    }

    @Test
    void aChunkedBodyReservesTheLargestBodyAllowed() throws Exception {
        try (Socket chunked = socket()) {
            sendHead(chunked, "/ingest", 0, "Transfer-Encoding: chunked");
            chunked.getOutputStream().write("10\r\n0123456789abcdef\r\n".getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(5)).until(() -> budget.reservedBytes() == MAX_BODY);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> budget.reservedBytes() == 0);
    }

    @Test
    void aBodyOverTheLimitIsLeftToTheBodyHandlersOwn413() throws Exception {
        try (Socket huge = socket()) {
            sendHead(huge, "/ingest", 0, "Content-Length: " + (MAX_BODY + 1));
            assertThat(new String(huge.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 413");
        }
        assertThat(budget.refused()).isZero();
        assertThat(budget.reservedBytes()).isZero();
    }

    @Test
    void aBodyTheRouteStillHoldsStaysReservedAfterTheClientLeftUntilTheRouteAnswers() throws Exception {
        RoutingContext route;
        try (Socket client = socket()) {
            sendHead(client, "/held", 0, "Content-Length: 5000");
            client.getOutputStream().write(new byte[5000]);
            route = held.poll(5, TimeUnit.SECONDS);
            assertThat(route).isNotNull();
            client.setSoLinger(true, 0);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> route.response().closed());
        assertThat(budget.reservedBytes()).as("the route still has the body").isEqualTo(5000);

        route.vertx().runOnContext(v -> route.response().setStatusCode(202).end());
        await().atMost(Duration.ofSeconds(5)).until(() -> budget.reservedBytes() == 0);
    }

    @Test
    void aBodyWhoseRouteNeverAnswersIsGivenBackAfterTheRequestTimeout() throws Exception {
        try (Socket client = socket()) {
            sendHead(client, "/void", 0, "Content-Length: 3000");
            client.getOutputStream().write(new byte[3000]);
            await().atMost(Duration.ofSeconds(5)).until(() -> budget.reservedBytes() == 3000);
        }
        await().atMost(REQUEST_TIMEOUT.plusSeconds(5)).until(() -> budget.reservedBytes() == 0);
    }

    private Socket socket() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(5000);
        return socket;
    }

    private static void sendHead(Socket socket, String path, long unused, String lengthHeader) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + lengthHeader + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Everything the server sends until it closes the connection (or 5 s pass). */
    private static String answer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder answer = new StringBuilder();
        try {
            for (int c = in.read(); c != -1; c = in.read()) {
                answer.append((char) c);
            }
        } catch (IOException e) {
            // closed by a reset after the answer: what arrived is the answer
        }
        return answer.toString();
    }

    private static HttpServerSettings settings() {
        return new HttpServerSettings("127.0.0.1", 0, MAX_BODY, 1, 8192, 100, Duration.ofSeconds(60), Duration.ofSeconds(30),
                REQUEST_TIMEOUT, CAPACITY, 1, null, null, null, Duration.ofSeconds(5));
    }
}
