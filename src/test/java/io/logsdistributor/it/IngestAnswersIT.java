package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every answer of contract §3 through the real Vert.x server, and the operator endpoints of §6. */
class IngestAnswersIT {

    @TempDir
    static Path dir;
    private static Fleet fleet;
    private static RunningDistributor distributor;

    @BeforeAll
    static void start() throws Exception {
        fleet = new Fleet(0.5, 0.5);
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"),
                Map.of("distributor.max-body-bytes", "65536", "distributor.max-messages-per-packet", "50"));
    }

    @AfterAll
    static void stop() throws Exception {
        distributor.close();
        fleet.close();
    }

    @Test
    void aValidPacketIsAcceptedWith202() throws Exception {
        HttpResponse<String> response = distributor.post(RunningDistributor.packet("ok-1", 3));
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = RunningDistributor.json(response.body());
        assertThat(body.get("status").asText()).isEqualTo("accepted");
        assertThat(body.get("packet_id").asText()).isEqualTo("ok-1");
        assertThat(body.get("messages").asInt()).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json at all                                   | body: not valid JSON",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[]} | messages: must not be empty",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[{\"timestamp\":1,\"level\":\"LOUD\",\"message\":\"m\"}]} | messages[0].level: must be one of",
    })
    void aMalformedPacketGets400NamingTheFirstBadField(String body, String detail) throws Exception {
        HttpResponse<String> response = distributor.post(body);
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode json = RunningDistributor.json(response.body());
        assertThat(json.get("error").asText()).isEqualTo("invalid_packet");
        assertThat(json.get("detail").asText()).startsWith(detail);
    }

    @Test
    void tooManyMessagesGets400() throws Exception {
        HttpResponse<String> response = distributor.post(RunningDistributor.packet("many", 51));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(RunningDistributor.json(response.body()).get("detail").asText()).isEqualTo("messages: more than 50 entries");
    }

    @Test
    void aFormEncodedBodyGets415AndNoHeaderEcho() throws Exception {
        // the Camel trap: a form body becomes headers; echoed back it made Vert.x answer a bare 500
        HttpResponse<String> response = distributor.send(HttpRequest.newBuilder(distributor.uri("/ingest"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(RunningDistributor.packet("form", 1))).build());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(RunningDistributor.json(response.body()).get("error").asText()).isEqualTo("unsupported_media_type");
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.contains("packet_id"));
    }

    @Test
    void noContentTypeGets415() throws Exception {
        HttpResponse<String> response = distributor.send(HttpRequest.newBuilder(distributor.uri("/ingest"))
                .POST(HttpRequest.BodyPublishers.ofString(RunningDistributor.packet("none", 1))).build());
        assertThat(response.statusCode()).isEqualTo(415);
    }

    @Test
    void aGetWithAFormContentTypeIsNoServerError() throws Exception {
        // found by IngestFuzzIT: Vert.x tried to decode a form body for a GET and answered 500
        for (String path : new String[] {"/health", "/stats", "/metrics", "/ingest"}) {
            HttpResponse<String> response = distributor.send(HttpRequest.newBuilder(distributor.uri(path))
                    .header("Content-Type", "application/x-www-form-urlencoded").GET().build());
            assertThat(response.statusCode()).as(path).isIn(200, 405);
        }
    }

    @Test
    void otherMethodsGet405() throws Exception {
        assertThat(distributor.get("/ingest").statusCode()).isEqualTo(405);
        assertThat(distributor.send(HttpRequest.newBuilder(distributor.uri("/ingest"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build())
                .statusCode()).isEqualTo(405);
    }

    @Test
    void aBodyOverTheLimitGets413() throws Exception {
        HttpResponse<String> response = distributor.post(RunningDistributor.packet("big", 1).replace("message 0", "x".repeat(70_000)));
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void clientHeadersAreNeitherEchoedNorForwarded() throws Exception {
        HttpResponse<String> response = distributor.send(HttpRequest.newBuilder(distributor.uri("/ingest"))
                .header("Content-Type", "application/json").header("X-Secret", "s3cret")
                .POST(HttpRequest.BodyPublishers.ofString(RunningDistributor.packet("hdr", 1))).build());
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("X-Secret")).isEmpty();
    }

    @Test
    void healthStatsAndMetricsAnswerAsTheContractSays() throws Exception {
        distributor.post(RunningDistributor.packet("seen", 2));
        JsonNode health = RunningDistributor.json(distributor.get("/health").body());
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.at("/queue/capacity").asInt()).isEqualTo(10_000);

        JsonNode stats = distributor.stats();
        for (String total : new String[] {"packets", "messages", "accepted", "rejected", "delivered", "retried",
            "failed_over", "dead_lettered"}) {
            assertThat(stats.at("/totals/" + total).isNumber()).as(total).isTrue();
        }
        JsonNode analyzer = stats.at("/analyzers/0");
        for (String field : new String[] {"weight", "target_share", "actual_message_share", "packets", "messages",
            "healthy", "breaker", "latency_ms"}) {
            assertThat(analyzer.has(field)).as(field).isTrue();
        }
        assertThat(stats.has("uptime_s")).isTrue();

        HttpResponse<String> metrics = distributor.get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("distributor_packets_total", "distributor_messages_total",
                "distributor_packets_by_analyzer_total{analyzer=\"analyzer-1\"}",
                "distributor_messages_by_analyzer_total{analyzer=\"analyzer-2\"}", "distributor_queue_depth",
                "distributor_healthy_analyzers", "distributor_total_analyzers",
                "distributor_delivery_seconds_bucket{analyzer=\"analyzer-1\"", "jvm_memory_used_bytes",
                "camel_routes_running_routes");
        assertThat(distributor.get("/observe/health/live").statusCode()).isEqualTo(200);
        assertThat(distributor.get("/observe/health/ready").statusCode()).isEqualTo(200);
    }
}
