package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.logsdistributor.demo.DemoAnalyzer;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on both sides, with certificates made for this run: agents reach the distributor over HTTPS
 * (and, with a client CA, only with a certificate it signed), and the distributor reaches an
 * analyzer over HTTPS that trusts only its own CA and requires the distributor's client certificate.
 */
class TlsIT {

    @TempDir
    static Path dir;
    private static TestPki agents;
    private static TestPki analyzers;
    private static TestPki.Issued agentCertificate;
    private static Vertx vertx;
    private static DemoAnalyzer analyzer;
    private static RunningDistributor https;
    private static RunningDistributor mutual;

    @BeforeAll
    static void start() throws Exception {
        agents = new TestPki(dir, "agents");
        analyzers = new TestPki(dir, "analyzers");
        TestPki.Issued server = agents.issue("distributor");
        agentCertificate = agents.issue("agent-7");
        TestPki.Issued analyzerServer = analyzers.issue("analyzer");
        TestPki.Issued distributorClient = analyzers.issue("distributor-client");

        vertx = Vertx.vertx();
        analyzer = new DemoAnalyzer(vertx, "analyzer-1", 0, true, new io.logsdistributor.demo.RunTracker(), new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(analyzerServer.certFile().toString())
                        .setKeyPath(analyzerServer.keyFile().toString()))
                .setClientAuth(ClientAuth.REQUIRED)
                .setTrustOptions(new PemTrustOptions().addCertPath(analyzers.caFile.toString())));
        Fleet.await(analyzer.start());
        Path analyzersFile = Files.writeString(dir.resolve("analyzers.yaml"), "analyzers:\n  - id: analyzer-1\n"
                + "    url: https://127.0.0.1:" + analyzer.port() + "/ingest\n    weight: 1\n");

        Map<String, String> tls = Map.of(
                "distributor.tls.cert-file", server.certFile().toString(),
                "distributor.tls.key-file", server.keyFile().toString(),
                "distributor.analyzer-tls.ca-file", analyzers.caFile.toString(),
                "distributor.analyzer-tls.cert-file", distributorClient.certFile().toString(),
                "distributor.analyzer-tls.key-file", distributorClient.keyFile().toString());
        https = RunningDistributor.start(analyzersFile, dir.resolve("data-https"), tls);
        Map<String, String> withClientCa = new java.util.HashMap<>(tls);
        withClientCa.put("distributor.tls.client-ca-file", agents.caFile.toString());
        mutual = RunningDistributor.start(analyzersFile, dir.resolve("data-mutual"), withClientCa);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {mutual, https}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (vertx != null) {
            Fleet.await(vertx.close());
        }
    }

    @Test
    void httpsIngestIsAcceptedAndReachesTheHttpsAnalyzer() throws Exception {
        HttpClient client = agents.client(null);
        await().atMost(Duration.ofSeconds(10)).until(() -> post(client, https, "tls-wait").statusCode() != 503);
        long before = analyzer.packets();

        HttpResponse<String> response = post(client, https, "tls-1");

        assertThat(response.statusCode()).isEqualTo(202);
        // delivered over HTTPS to an analyzer that trusts only its own CA and wants our client certificate
        await().atMost(Duration.ofSeconds(10)).until(() -> analyzer.packetIds().contains("tls-1"));
        assertThat(analyzer.packets()).isGreaterThan(before);
    }

    @Test
    void plainHttpToTheTlsPortFails() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + https.port + "/ingest"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RunningDistributor.packet("plain", 1))).build();

        assertThatThrownBy(() -> https.client.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void withAClientCaAClientWithoutCertificateIsRefused() throws Exception {
        HttpClient client = agents.client(null);

        assertThatThrownBy(() -> post(client, mutual, "anonymous")).isInstanceOf(IOException.class);
    }

    @Test
    void withAClientCaACertificateFromAnotherCaIsRefused() throws Exception {
        HttpClient client = agents.client(analyzers.issue("stranger"));

        assertThatThrownBy(() -> post(client, mutual, "stranger")).isInstanceOf(IOException.class);
    }

    @Test
    void withAClientCaASignedClientCertificateGets202() throws Exception {
        HttpClient client = agents.client(agentCertificate);
        await().atMost(Duration.ofSeconds(10)).until(() -> post(client, mutual, "mtls-wait").statusCode() != 503);

        assertThat(post(client, mutual, "mtls-1").statusCode()).isEqualTo(202);
    }

    private static HttpResponse<String> post(HttpClient client, RunningDistributor distributor, String id)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + distributor.port + "/ingest"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RunningDistributor.packet(id, 1))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
