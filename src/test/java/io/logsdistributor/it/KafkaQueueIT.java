package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logsdistributor.delivery.DeadLetterStore;
import io.logsdistributor.demo.DemoAnalyzer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * distributor.queue.store=kafka against a real broker process: replicas share one topic; a replica that
 * joins under load and one that dies hard both move partitions whose packets were taken and not confirmed,
 * and nothing is lost; a broker outage answers 503 storage_unavailable and loses
 * nothing accepted, and failover and dead letters work as on the SEDA path (contract §4, §8).
 */
class KafkaQueueIT {

    private static final int MAX_MESSAGES = 5;

    @TempDir
    Path dir;

    /** Every replica a test started: none outlives it, whatever failed. */
    private final List<JarProcess> started = new ArrayList<>();

    @AfterEach
    void stopReplicas() throws InterruptedException {
        for (JarProcess process : started) {
            process.close();
        }
    }

    @Test
    void replicasShareTheTopicWithExactSharesAndHandOverWhatTheyHadNotConfirmedWhenOneJoinsAndOneDies() throws Exception {
        try (Fleet fleet = new Fleet(0.4, 0.3, 0.2, 0.1); KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
            Path analyzersFile = fleet.writeAnalyzersFile(dir);
            JarProcess a = startReady(env(analyzersFile, broker, "a"), "a");
            JarProcess b = startReady(env(analyzersFile, broker, "b"), "b");
            Set<String> accepted = new HashSet<>();

            // 1: both replicas under load; once all is delivered each analyzer has its share of the messages
            try (PostLoop toA = new PostLoop("one-a", 4, 3000, Duration.ofSeconds(30), () -> a);
                    PostLoop toB = new PostLoop("one-b", 4, 3000, Duration.ofSeconds(30), () -> b)) {
                await().atMost(Duration.ofSeconds(40)).until(() -> toA.accepted.size() + toB.accepted.size() >= 5000);
                toA.close();
                toB.close();
                accepted.addAll(toA.accepted);
                accepted.addAll(toB.accepted);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> fleet.receivedIds().containsAll(accepted));
            assertThat(a.stats().at("/totals/delivered").asLong()).as("replica a delivered").isPositive();
            assertThat(b.stats().at("/totals/delivered").asLong()).as("replica b delivered").isPositive();
            long messages = fleet.totalMessages();
            for (int i = 0; i < fleet.analyzers.size(); i++) {
                // each replica keeps its own exact bound, (N-1)·M below and M above; the fleet within their sum
                double target = fleet.weights[i] * messages;
                assertThat((double) fleet.get(i).messages()).as("messages of analyzer-%d", i + 1)
                        .isBetween(target - 2 * 3 * MAX_MESSAGES, target + 2 * MAX_MESSAGES);
            }

            // 2: under load with full buffers, replica c joins (a and b hand it partitions whose packets they
            // had taken and not delivered), then a is killed with packets taken and not confirmed
            fleet.analyzers.forEach(analyzer -> analyzer.control(DemoAnalyzer.Mode.SLOW, 50));
            long before = fleet.totalPackets();
            JarProcess c;
            try (PostLoop toA = new PostLoop("two-a", 4, 100_000, Duration.ofSeconds(60), () -> a);
                    PostLoop toB = new PostLoop("two-b", 4, 100_000, Duration.ofSeconds(60), () -> b)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> fleet.totalPackets() > before + 500
                        && a.stats().at("/queue/packets").asLong() > 50 && b.stats().at("/queue/packets").asLong() > 50);
                c = startReady(env(analyzersFile, broker, "c"), "c");
                await().atMost(Duration.ofSeconds(30)).until(() -> c.stats().at("/totals/delivered").asLong() > 200
                        && a.stats().at("/queue/packets").asLong() > 50);
                assertThat(a.stats().at("/queue/kafka_partitions").asInt()).as("a handed partitions to c (8 over 3)").isLessThanOrEqualTo(3);
                a.kill();
                await().atMost(Duration.ofSeconds(30)).until(() -> toB.accepted.size() > 2000);
                toA.close();
                toB.close();
                accepted.addAll(toA.accepted);
                accepted.addAll(toB.accepted);
            }
            fleet.analyzers.forEach(analyzer -> analyzer.control(DemoAnalyzer.Mode.NORMAL, 0));
            await().atMost(Duration.ofSeconds(90)).until(() -> fleet.receivedIds().containsAll(accepted));
            long duplicates = fleet.totalPackets() - fleet.receivedIds().size();
            System.out.printf("KafkaQueueIT: %d packets accepted, a third replica joined under load and one was killed: "
                    + "all delivered, %d duplicates%n", accepted.size(), duplicates);
            c.terminate(Duration.ofSeconds(60));
            b.terminate(Duration.ofSeconds(60));
        }
    }

    @Test
    void aBrokerOutageAnswers503StorageUnavailableAndLosesNothingAccepted() throws Exception {
        try (Fleet fleet = new Fleet(0.5, 0.5); KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
            JarProcess distributor = startReady(env(fleet.writeAnalyzersFile(dir), broker, "only"), "only");
            try (PostLoop load = new PostLoop("outage", 4, 200_000, Duration.ofSeconds(90), () -> distributor)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> load.accepted.size() > 300);
                broker.kill();
                await().atMost(Duration.ofSeconds(30)).until(() -> !distributor.ready());
                HttpResponse<String> refused = distributor.post(RunningDistributor.packet("while-down", 1));
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.body()).contains("\"error\":\"storage_unavailable\"");
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                // no broker, no acknowledgement, no 202
                int acceptedWhileDown = load.accepted.size();
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                        .until(() -> load.accepted.size() == acceptedWhileDown);

                broker.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> load.accepted.size() > acceptedWhileDown + 300);
                await().atMost(Duration.ofSeconds(30)).until(distributor::ready);
                load.close();
                assertThat(load.count(503)).isPositive();
                await().atMost(Duration.ofSeconds(60)).until(() -> fleet.receivedIds().containsAll(load.accepted));
                System.out.printf("KafkaQueueIT: broker outage: %d accepted, %d answered 503, all delivered%n",
                        load.accepted.size(), load.count(503));
            }
            distributor.terminate(Duration.ofSeconds(60));
        }
    }

    @Test
    void aFailingAnalyzerFailsOverAndARefusingOneDeadLettersAsOnTheSedaPath() throws Exception {
        try (Fleet fleet = new Fleet(0.4, 0.3, 0.3); KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
            JarProcess distributor = startReady(env(fleet.writeAnalyzersFile(dir), broker, "only"), "only");
            // delivering at once (the group has assigned every partition), so analyzer-1 is tried before its
            // health polls take it out of rotation
            await().atMost(Duration.ofSeconds(30)).until(() -> distributor.stats().at("/queue/kafka_partitions").asInt() == 8);
            fleet.get(0).control(DemoAnalyzer.Mode.FAIL, 0);
            fleet.get(1).control(DemoAnalyzer.Mode.REFUSE, 0);
            Set<String> accepted = new HashSet<>();
            for (int n = 0; n < 200; n++) {
                String id = "mixed-" + n;
                if (distributor.post(RunningDistributor.packet(id, 1 + n % MAX_MESSAGES)).statusCode() == 202) {
                    accepted.add(id);
                }
            }
            assertThat(accepted).hasSize(200);
            // near max-body-bytes (1 MiB): more than the broker's default record limit, which the topic raises
            StringBuilder big = new StringBuilder("{\"packet_id\":\"big-1\",\"agent_id\":\"agent-it\",\"messages\":[");
            for (int i = 0; i < 20; i++) {
                big.append(i == 0 ? "" : ",").append("{\"timestamp\":\"2026-11-22T10:00:00Z\",\"level\":\"INFO\",\"message\":\"")
                        .append("x".repeat(50_000)).append("\"}");
            }
            HttpResponse<String> bigAnswer = distributor.post(big.append("]}").toString());
            assertThat(bigAnswer.statusCode()).as(bigAnswer.body()).isEqualTo(202);
            accepted.add("big-1");
            Path deadLetters = dir.resolve("only").resolve(DeadLetterStore.FILE_NAME);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Set<String> done = new HashSet<>(fleet.receivedIds());
                done.addAll(deadLetterIds(deadLetters));
                return done.containsAll(accepted);
            });
            assertThat(fleet.get(0).packetIds()).as("the failing analyzer confirmed nothing").isEmpty();
            assertThat(deadLetterIds(deadLetters)).as("refused by analyzer-2").isNotEmpty()
                    .doesNotContainAnyElementsOf(fleet.get(2).packetIds());
            // analyzer-1's 500s were retried elsewhere (a retry that reaches the refusing analyzer-2 ends as a
            // dead letter, one that reaches analyzer-3 as a failover)
            assertThat(distributor.stats().at("/totals/retried").asLong()).isPositive();
            distributor.terminate(Duration.ofSeconds(60));
        }
    }

    private Map<String, String> env(Path analyzersFile, KafkaBroker broker, String name) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ANALYZERS_FILE", analyzersFile.toString());
        env.put("DISTRIBUTOR_DATA_DIR", dir.resolve(name).toString());
        env.put("DISTRIBUTOR_QUEUE_STORE", "kafka");
        env.put("DISTRIBUTOR_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("DISTRIBUTOR_KAFKA_PARTITIONS", "8");
        env.put("DISTRIBUTOR_KAFKA_SEND_TIMEOUT_MS", "2000");
        // Camel's Kafka options from the environment, as a Secret would set them: a dead replica's partitions
        // move after 6 s instead of Kafka's default 45 s
        env.put("CAMEL_COMPONENT_KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("CAMEL_COMPONENT_KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        return env;
    }

    private JarProcess startReady(Map<String, String> env, String name) throws IOException {
        JarProcess process = JarProcess.start(env, dir.resolve(name + ".log"));
        started.add(process);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(process::ready);
        return process;
    }

    private static Set<String> deadLetterIds(Path file) throws IOException {
        Set<String> ids = new HashSet<>();
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                ids.add(RunningDistributor.json(line).at("/packet_id").asText());
            }
        }
        return ids;
    }
}
