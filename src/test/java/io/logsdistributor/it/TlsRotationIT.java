package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 4 with the packaged jar: a renewed certificate is taken from its files without a
 * restart while a connection pool keeps posting (no request fails, open connections keep going, new
 * handshakes get the new certificate; a key that does not match the certificate is not taken), and
 * the port speaks TLS 1.2 with ECDHE AEAD suites and TLS 1.3 only. The server's JVM is started with
 * TLS 1.0 and 1.1 allowed by its security policy, so that refusing them is the distributor's doing.
 */
class TlsRotationIT {

    private static final int POSTERS = 4;

    @TempDir
    Path dir;

    @Test
    void aRenewedCertificateIsServedToNewHandshakesWhileTheLivePoolGoesOn() throws Exception {
        TestPki pki = new TestPki(dir, "agents");
        TestPki.Issued first = pki.issue("distributor-1");
        TestPki.Issued second = pki.issue("distributor-2");
        Path tls = Files.createDirectories(dir.resolve("tls"));
        Path certFile = Files.copy(first.certFile(), tls.resolve("tls.crt"));
        Path keyFile = Files.copy(first.keyFile(), tls.resolve("tls.key"));
        List<String> jvm = new ArrayList<>(JarProcess.recommendedJvmFlags());
        jvm.add("-Djava.security.properties=" + Files.writeString(dir.resolve("old-tls-allowed.security"),
                "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, MD5withRSA, DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, NULL\n"));
        int port = JarProcess.freePort();
        URI ingest = URI.create("https://127.0.0.1:" + port + "/ingest");

        try (Fleet fleet = new Fleet(1);
                JarProcess jar = JarProcess.start(dir.resolve("distributor.log"), jvm, Map.of(
                        "ANALYZERS_FILE", fleet.writeAnalyzersFile(dir).toString(), "HTTP_PORT", String.valueOf(port),
                        "HTTP_HOST", "127.0.0.1", "DISTRIBUTOR_DATA_DIR", dir.resolve("data").toString(),
                        "TLS_CERT_FILE", certFile.toString(), "TLS_KEY_FILE", keyFile.toString(),
                        "DISTRIBUTOR_TLS_RELOAD_INTERVAL_MS", "200"))) {
            HttpClient pool = pki.client(null);
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                    .until(() -> post(pool, ingest, "warm-up").statusCode() == 202);
            assertThat(servedCertificate(ingest, pki)).isEqualTo("CN=distributor-1");

            Queue<String> served = new ConcurrentLinkedQueue<>();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService posters = Executors.newFixedThreadPool(POSTERS);
            for (int t = 0; t < POSTERS; t++) {
                String prefix = "pool-" + t + "-";
                posters.execute(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        try {
                            HttpResponse<String> response = post(pool, ingest, prefix + n);
                            if (response.statusCode() != 202) {
                                failures.add(response.statusCode() + " " + response.body());
                            }
                            served.add(subject(response));
                        } catch (IOException | InterruptedException e) {
                            failures.add(e.toString());
                        }
                    }
                });
            }
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> served.size() >= 100);

                // the certificate first: until its key follows, the pair does not match and is not taken
                replace(second.certFile(), certFile);
                await().atMost(Duration.ofSeconds(30)).until(() -> jar.log().contains("does not belong to the certificate"));
                assertThat(servedCertificate(ingest, pki)).isEqualTo("CN=distributor-1");
                replace(second.keyFile(), keyFile);
                await().atMost(Duration.ofSeconds(30)).until(() -> jar.log().contains("TLS certificate reloaded"));

                int atReload = served.size();
                assertThat(servedCertificate(ingest, pki)).as("a new handshake").isEqualTo("CN=distributor-2");
                await().atMost(Duration.ofSeconds(30)).until(() -> served.size() >= atReload + 200);
            } finally {
                stop.set(true);
                posters.shutdown();
                assertThat(posters.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(failures).as("requests on the live pool").isEmpty();
            // the pool's connections made before the renewal went on serving, on the old certificate
            assertThat(new ArrayList<>(served).subList(served.size() - 100, served.size())).contains("CN=distributor-1");

            // TLS 1.3 and TLS 1.2 with an ECDHE AEAD suite; nothing older, no CBC
            assertThat(post(pki.client(null), ingest, "tls13").statusCode()).isEqualTo(202);
            assertThat(post(tls12Client(pki), ingest, "tls12").statusCode()).isEqualTo(202);
            assertThat(ClientHello.offer(port, ClientHello.TLS_1_2, ClientHello.ECDHE_ECDSA_AES_128_GCM_SHA256))
                    .as("the hand-made hello works").isTrue();
            assertThat(ClientHello.offer(port, ClientHello.TLS_1_2, ClientHello.ECDHE_ECDSA_AES_128_CBC_SHA256,
                    ClientHello.ECDHE_ECDSA_AES_256_CBC_SHA384, ClientHello.ECDHE_ECDSA_AES_128_CBC_SHA)).as("TLS 1.2 CBC").isFalse();
            assertThat(ClientHello.offer(port, ClientHello.TLS_1_1, ClientHello.ECDHE_ECDSA_AES_128_CBC_SHA,
                    ClientHello.ECDHE_ECDSA_AES_128_GCM_SHA256)).as("TLS 1.1").isFalse();
            assertThat(jar.log()).doesNotContain("TLS certificate not applied");
        }
    }

    /** The certificate a brand-new client (no session to resume) is shown. */
    private static String servedCertificate(URI ingest, TestPki pki) throws Exception {
        return subject(post(pki.client(null), ingest, "handshake"));
    }

    private static HttpClient tls12Client(TestPki pki) throws Exception {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.2"});
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(pki.sslContext(null))
                .sslParameters(parameters).build();
    }

    private static String subject(HttpResponse<?> response) throws IOException {
        X509Certificate certificate = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
        return certificate.getSubjectX500Principal().getName();
    }

    /** As a careful operator (or Kubernetes) does: write beside, then rename over the old file. */
    private static void replace(Path source, Path target) throws IOException {
        Path next = Files.copy(source, target.resolveSibling(target.getFileName() + ".next"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(next, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static HttpResponse<String> post(HttpClient client, URI ingest, String id) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(ingest).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RunningDistributor.packet(id, 1))).build(), HttpResponse.BodyHandlers.ofString());
    }
}
