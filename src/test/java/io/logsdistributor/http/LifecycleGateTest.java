package io.logsdistributor.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.ext.web.Route;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gate ahead of the routes on a real Vert.x server: what each phase answers, and what it leaves to the routes. */
class LifecycleGateTest {

    private final Map<String, Integer> rejected = new ConcurrentHashMap<>();
    private TestServer server;
    private LifecycleGate gate;
    private Route health;

    @BeforeEach
    void start() {
        server = new TestServer();
        gate = new LifecycleGate(server.router, 3, reason -> rejected.merge(reason, 1, Integer::sum));
        server.router.route().order(Integer.MIN_VALUE).handler(gate.handler());
        server.router.post("/ingest").handler(ctx -> ctx.response().setStatusCode(202).end("{\"status\":\"accepted\"}"));
        health = server.router.get("/health").handler(ctx -> ctx.response().end("{\"status\":\"UP\"}"));
        server.router.get("/observe/health/ready").handler(ctx -> ctx.response().end("{\"status\":\"UP\"}"));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void whileStartingEveryPathGets503WithRetryAfterNeverA404() throws Exception {
        for (HttpResponse<String> response : new HttpResponse[] {server.post("/ingest", "{}"), server.get("/health"),
            server.get("/observe/health/ready"), server.get("/no-such-path"), server.get("/ingest")}) {
            assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
            assertThat(response.body()).isEqualTo("{\"error\":\"starting\",\"retry_after_s\":3}");
            // an agent retrying soon may keep its connection
            assertThat(response.headers().firstValue("Connection")).isEmpty();
        }
        assertThat(rejected).as("POST and GET /ingest").containsExactly(Map.entry("starting", 2));
        assertThat(gate.unreadyAnswers()).isEqualTo(5);
    }

    @Test
    void onceReadyTheRoutesAnswerAnd404And405AreLeftAsTheyWere() throws Exception {
        gate.ready();

        assertThat(server.post("/ingest", "{}").statusCode()).isEqualTo(202);
        assertThat(server.get("/observe/health/ready").statusCode()).isEqualTo(200);
        assertThat(server.get("/ingest").statusCode()).isEqualTo(405);
        assertThat(server.get("/no-such-path").statusCode()).isEqualTo(404);
        assertThat(gate.unreadyAnswers()).isZero();
    }

    @Test
    void whileDrainingIngestAndReadinessGet503AndTheOtherEndpointsAnswerUntilTheirRouteIsGone() throws Exception {
        gate.ready();
        gate.draining();

        HttpResponse<String> ingest = server.post("/ingest", "{}");
        assertThat(ingest.statusCode()).isEqualTo(503);
        assertThat(ingest.body()).isEqualTo("{\"error\":\"shutting_down\",\"retry_after_s\":3}");
        assertThat(ingest.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(ingest.headers().firstValue("Connection")).hasValue("close");
        assertThat(server.get("/observe/health/ready").statusCode()).isEqualTo(503);

        HttpResponse<String> stillThere = server.get("/health");
        assertThat(stillThere.statusCode()).isEqualTo(200);
        assertThat(stillThere.headers().firstValue("Connection")).as("moves clients off this replica").hasValue("close");

        health.remove();
        for (String path : new String[] {"/health", "/no-such-path"}) {
            HttpResponse<String> gone = server.get(path);
            assertThat(gone.statusCode()).as(path).isEqualTo(503);
            assertThat(gone.headers().firstValue("Retry-After")).hasValue("3");
            assertThat(gone.body()).isEqualTo("{\"error\":\"shutting_down\",\"retry_after_s\":3}");
        }
        assertThat(rejected).containsExactly(Map.entry("shutting_down", 1));
    }

    @Test
    void aStopDuringStartUpDrainsToo() throws Exception {
        gate.draining();

        assertThat(server.post("/ingest", "{}").statusCode()).isEqualTo(503);
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
        assertThat(server.get("/no-such-path").statusCode()).isEqualTo(503);
    }

    @Test
    void whenThePortIsAboutToCloseNothingReachesARouteAndClientsKeepTheirConnectionUntilItStoppedAccepting()
            throws Exception {
        gate.ready();
        gate.quiescing();

        for (HttpResponse<String> response : new HttpResponse[] {server.post("/ingest", "{}"), server.get("/health")}) {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("shutting_down");
            assertThat(response.headers().firstValue("Connection")).isEmpty();
        }

        gate.closing();

        for (HttpResponse<String> response : new HttpResponse[] {server.post("/ingest", "{}"), server.get("/health")}) {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("shutting_down");
            assertThat(response.headers().firstValue("Connection")).hasValue("close");
        }
    }
}
