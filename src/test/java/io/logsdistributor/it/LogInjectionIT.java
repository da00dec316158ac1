package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logsdistributor.demo.DemoAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A packet whose ids carry CR/LF (JSON escapes) cannot forge a line in the distributor's log. */
class LogInjectionIT {

    @TempDir
    Path dir;

    @Test
    void aCrLfInAPacketIdOrAgentIdNeverStartsALogLineOfItsOwn() throws Exception {
        try (Fleet fleet = new Fleet(1.0)) {
            // refused packets are logged with their ids as they are dead-lettered
            fleet.get(0).control(DemoAnalyzer.Mode.REFUSE, 0);
            Path log = dir.resolve("distributor.log");
            try (JarProcess distributor = JarProcess.start(Map.of("ANALYZERS_FILE", fleet.writeAnalyzersFile(dir).toString(),
                    "DISTRIBUTOR_DATA_DIR", dir.resolve("data").toString()), log)) {
                await().atMost(Duration.ofSeconds(60)).until(distributor::ready);
                String forged = "12:00:00.000 ERROR [main] Forged - FORGED LINE";
                String body = "{\"packet_id\":\"p-1\\r\\n" + forged + "\",\"agent_id\":\"agent\\n" + forged
                        + "\\u2028x\",\"messages\":[{\"timestamp\":\"2026-11-22T10:00:00Z\",\"level\":\"INFO\",\"message\":\"m\"}]}";
                assertThat(distributor.post(body).statusCode()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("dead-lettered"));
                distributor.terminate(Duration.ofSeconds(60));
            }
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).noneMatch(line -> line.startsWith("12:00:00.000 ERROR [main] Forged"));
            assertThat(lines).filteredOn(line -> line.contains("dead-lettered")).singleElement().asString()
                    .contains("p-1\\u000d\\u000a12:00:00.000 ERROR [main] Forged - FORGED LINE")
                    .contains("agent\\u000a12:00:00.000").contains("\\u2028x");
        }
    }
}
