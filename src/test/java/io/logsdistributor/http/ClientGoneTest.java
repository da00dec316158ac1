package io.logsdistributor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client leaving mid-request is counted, not logged as an error; other failures are answered as before. */
class ClientGoneTest {

    private final ClientGone clientGone = new ClientGone();
    private TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer();
        server.router.route().order(Integer.MIN_VALUE).handler(RoutingContext::next).failureHandler(clientGone);
        server.router.route().handler(BodyHandler.create().setBodyLimit(100_000));
        server.router.post("/ingest").handler(ctx -> ctx.response().setStatusCode(202).end());
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aClientResettingMidBodyIsCounted() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("POST /ingest HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10000\r\n\r\n"
                    + "x".repeat(100)).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.setSoLinger(true, 0);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> clientGone.count() == 1);
    }

    @Test
    void otherFailuresAreStillAnswered() throws Exception {
        assertThat(server.post("/ingest", "y".repeat(100_001)).statusCode()).isEqualTo(413);
        assertThat(server.post("/ingest", "{}").statusCode()).isEqualTo(202);
        assertThat(clientGone.count()).isZero();
    }
}
