package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.logsdistributor.config.ConfigException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Contract §7 API keys through the real server: who gets in, as whom, with which role, how fast, and key rotation. */
class ApiKeysIT {

    private static final String AGENT_7_KEY = "k7-" + "a".repeat(40);
    private static final String LIMITED_KEY = "lim-" + "b".repeat(40);
    private static final String OPERATOR_KEY = "op-" + "d".repeat(40);
    private static final String ROTATED_KEY = "k7-rotated-" + "c".repeat(40);

    @TempDir
    static Path dir;
    private static Path keysFile;
    private static Fleet fleet;
    private static RunningDistributor distributor;

    @BeforeAll
    static void start() throws Exception {
        fleet = new Fleet(1);
        keysFile = Files.writeString(dir.resolve("api-keys.yaml"), keys(AGENT_7_KEY));
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"),
                Map.of("distributor.api-keys-file", keysFile.toString(), "distributor.auth.reload-interval-ms", "100"));
        await().atMost(Duration.ofSeconds(10)).until(() -> post("agent-7", "wait", bearer(AGENT_7_KEY)).statusCode() == 202);
    }

    @AfterAll
    static void stop() throws Exception {
        distributor.close();
        fleet.close();
    }

    @Test
    void noKeyOrAnUnknownKeyGets401() throws Exception {
        for (HttpResponse<String> response : new HttpResponse[] {post("agent-7", "none", null),
            post("agent-7", "unknown", bearer("not-a-key")), post("agent-7", "basic", "Basic " + AGENT_7_KEY)}) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).isEqualTo("{\"error\":\"unauthorized\"}");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
    }

    @Test
    void theKeyIsAcceptedAsBearerOrAsXApiKey() throws Exception {
        assertThat(post("agent-7", "bearer", bearer(AGENT_7_KEY)).statusCode()).isEqualTo(202);
        HttpResponse<String> viaHeader = distributor.send(request("agent-7", "x-api-key").header("X-API-Key", AGENT_7_KEY).build());
        assertThat(viaHeader.statusCode()).isEqualTo(202);
    }

    @Test
    void aKeyCannotSendForAnotherAgent() throws Exception {
        HttpResponse<String> response = post("agent-8", "impostor", bearer(AGENT_7_KEY));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(RunningDistributor.json(response.body()).get("error").asText()).isEqualTo("forbidden");
    }

    /** Every endpoint with no key, an agent's key and an operator's key: open probes, agent-only ingest, operator-only reads. */
    @ParameterizedTest(name = "{0} {1}: no key {2}, agent key {3}, operator key {4}")
    @CsvSource({
        "POST, /ingest,                  401, 202, 202",
        "GET,  /stats,                   401, 403, 200",
        "GET,  /metrics,                 401, 403, 200",
        "GET,  /observe/metrics,         401, 403, 200",
        "GET,  /health,                  200, 200, 200",
        "GET,  /observe/health,          200, 200, 200",
        "GET,  /observe/health/live,     200, 200, 200",
        "GET,  /observe/health/ready,    200, 200, 200",
    })
    void eachEndpointAnswersEachKindOfCaller(String method, String path, int noKey, int agentKey, int operatorKey)
            throws Exception {
        String[] keys = {null, AGENT_7_KEY, OPERATOR_KEY};
        int[] expected = {noKey, agentKey, operatorKey};
        for (int i = 0; i < keys.length; i++) {
            HttpRequest.Builder request = method.equals("POST")
                    ? request("agent-7", "matrix-" + path.hashCode() + "-" + i)
                    : HttpRequest.newBuilder(distributor.uri(path)).GET();
            if (keys[i] != null) {
                request.header("X-API-Key", keys[i]);
            }
            HttpResponse<String> response = distributor.send(request.build());
            String caller = new String[] {"no key", "agent key", "operator key"}[i];
            assertThat(response.statusCode()).as(method + " " + path + " with " + caller).isEqualTo(expected[i]);
            if (response.statusCode() == 401) {
                assertThat(response.body()).isEqualTo("{\"error\":\"unauthorized\"}");
            }
            if (response.statusCode() == 403) {
                JsonNode body = RunningDistributor.json(response.body());
                assertThat(body.get("error").asText()).isEqualTo("forbidden");
                assertThat(body.get("detail").asText()).contains("operator key");
            }
            assertThat(response.body()).doesNotContain(AGENT_7_KEY).doesNotContain(OPERATOR_KEY);
        }
    }

    @Test
    void anOperatorKeySendsForEveryAgentThoughKeysAreBoundToTheirAgent() throws Exception {
        for (String agent : new String[] {"agent-7", "agent-8", "agent-limited", "agent-nobody-has-a-key-for"}) {
            assertThat(post(agent, "operator-for-" + agent, bearer(OPERATOR_KEY)).statusCode()).as(agent).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.receivedIds().containsAll(java.util.List.of(
                "operator-for-agent-7", "operator-for-agent-8", "operator-for-agent-limited",
                "operator-for-agent-nobody-has-a-key-for")));
        assertThat(post("agent-8", "no-key", null).statusCode()).isEqualTo(401);
        assertThat(metrics()).as("the operator reads the refusals").contains("distributor_rejected_total{reason=\"unauthorized\"}");
    }

    @Test
    void anAgentOverItsKeysRateGets429WithRetryAfter() throws Exception {
        // the limited key allows 2 packets per second, a burst of 2: the third at once is over
        int accepted = 0;
        HttpResponse<String> limited = null;
        for (int i = 0; i < 5 && limited == null; i++) {
            HttpResponse<String> response = post("agent-limited", "rate-" + i, bearer(LIMITED_KEY));
            if (response.statusCode() == 429) {
                limited = response;
            } else {
                assertThat(response.statusCode()).isEqualTo(202);
                accepted++;
            }
        }
        assertThat(limited).isNotNull();
        assertThat(accepted).isBetween(2, 3);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(RunningDistributor.json(limited.body()).get("error").asText()).isEqualTo("rate_limited");
    }

    @Test
    void aChangedKeysFileIsPickedUpAndAnInvalidOneKeepsTheKeysInForce() throws Exception {
        replace(keysFile, "keys:\n  - agent: agent-7\n    sha256: not-hex\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics().contains("distributor_api_keys_reload_failures_total 1.0"));
        assertThat(post("agent-7", "kept", bearer(AGENT_7_KEY)).statusCode()).isEqualTo(202);
        assertThat(metrics()).contains("distributor_api_keys 3.0");

        try {
            replace(keysFile, keys(ROTATED_KEY));
            await().atMost(Duration.ofSeconds(5)).until(() -> post("agent-7", "rotated", bearer(ROTATED_KEY)).statusCode() == 202);
            assertThat(post("agent-7", "old", bearer(AGENT_7_KEY)).statusCode()).isEqualTo(401);
        } finally {
            replace(keysFile, keys(AGENT_7_KEY));
            await().atMost(Duration.ofSeconds(5)).until(() -> post("agent-7", "restored", bearer(AGENT_7_KEY)).statusCode() == 202);
        }
    }

    @Test
    void anInvalidKeysFileStopsStartUpWithOneClearLine() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad-keys.yaml"), "keys:\n  - agent: a\n    sha256: " + "0".repeat(64)
                + "\n    rate: {packets-per-secnd: 5}\n");

        assertThatThrownBy(() -> RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data-bad"),
                Map.of("distributor.api-keys-file", bad.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessage(bad + ": keys[0].rate.packets-per-secnd: unknown key "
                        + "(expected packets-per-second or messages-per-second)");
    }

    /** As operators should (and Kubernetes does): the reader sees the old file or the new one, never half of one. */
    private static void replace(Path file, String content) throws java.io.IOException {
        Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), content);
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String metrics() throws Exception {
        return distributor.send(HttpRequest.newBuilder(distributor.uri("/metrics")).header("X-API-Key", OPERATOR_KEY)
                .GET().build()).body();
    }

    private static String keys(String agent7Key) throws Exception {
        return "keys:\n"
                + "  - agent: agent-7\n    sha256: " + sha256(agent7Key) + "\n"
                + "  - role: operator\n    sha256: " + sha256(OPERATOR_KEY) + "\n"
                + "  - agent: agent-limited\n    sha256: " + sha256(LIMITED_KEY) + "\n"
                + "    rate: {packets-per-second: 2, messages-per-second: 1000}\n";
    }

    private static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static String bearer(String key) {
        return "Bearer " + key;
    }

    private static HttpRequest.Builder request(String agent, String id) {
        return HttpRequest.newBuilder(distributor.uri("/ingest")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RunningDistributor.packet(id, 1).replace("agent-it", agent)));
    }

    private static HttpResponse<String> post(String agent, String id, String authorization) throws Exception {
        HttpRequest.Builder request = request(agent, id);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return distributor.send(request.build());
    }
}
