package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's training stage outside Docker: docker/train-aot.sh drives the packaged jar with the demo analyzers
 * and the load generator on a Java 25 JVM and writes an ahead-of-time cache; the image's entrypoint then starts
 * that JVM with the cache and the flags of aot.options, and {@code -XX:AOTMode=on} makes the JVM refuse to start
 * unless it can use the cache.
 */
@EnabledOnOs(OS.LINUX)
class AotCacheTrainingIT {

    /** A JDK of at least 25 (-XX:AOTCacheOutput): JAVA25_HOME, else the one this kind of machine has. */
    static final Path JAVA25 = Path.of(System.getenv().getOrDefault("JAVA25_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"),
            "bin", "java");

    @Test
    void trainedCacheIsUsedByTheEntrypointsJvm(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(JAVA25), "no Java 25 at " + JAVA25);
        Path app = Files.createDirectory(dir.resolve("app"));
        Files.copy(JarProcess.JAR, app.resolve("logs-distributor.jar"));
        Files.copy(Path.of("jvm.options"), app.resolve("jvm.options"));
        Files.copy(Path.of("docker", "aot.options"), app.resolve("aot.options"));
        Path cache = app.resolve("logs-distributor.aot");

        ProcessBuilder training = new ProcessBuilder("bash", "docker/train-aot.sh", cache.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("training.log").toFile());
        training.environment().put("APP_DIR", app.toString());
        training.environment().put("JAVA", JAVA25.toString());
        training.environment().put("TRAIN_PACKETS", "3000");
        training.environment().put("TRAIN_PORT", String.valueOf(freePortBase()));
        Process trainer = training.start();
        assertThat(trainer.waitFor(4, TimeUnit.MINUTES)).isTrue();
        String log = Files.readString(dir.resolve("training.log"));
        assertThat(trainer.exitValue()).as(log).isZero();
        assertThat(log).contains("training: 3000 packets").contains("\"packets_accepted\":3000")
                .contains("checked: the JVM starts with the cache and -XX:+UnlockExperimentalVMOptions -XX:+AOTCompileEagerly");
        assertThat(Files.size(cache)).isGreaterThan(1 << 20);

        // -XX:AOTMode=on after the cache flag: the JVM exits with an error if the cache does not fit this JVM and jar
        Path extra = Files.writeString(dir.resolve("extra.options"), "-XX:AOTMode=on\n");
        ProcessBuilder start = new ProcessBuilder("bash", "docker/entrypoint.sh", "loadgen", "--help").redirectErrorStream(true);
        start.environment().put("PATH", JAVA25.getParent() + ":" + System.getenv("PATH"));
        start.environment().put("LOGS_DISTRIBUTOR_HOME", app.toString());
        start.environment().put("LOGS_DISTRIBUTOR_EXTRA_JVM_OPTIONS", extra.toString());
        Process jvm = start.start();
        assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.exitValue()).as(out).isZero();
        assertThat(out).contains("--packets N").doesNotContain("AOT cache");
    }

    /** A port whose next four are free too: the script puts the distributor there and the analyzers after it. */
    static int freePortBase() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket s = new ServerSocket(0)) {
                base = s.getLocalPort();
            }
            if (base + 4 < 65536 && List.of(1, 2, 3, 4).stream().allMatch(i -> free(base + i))) {
                return base;
            }
        }
        throw new IllegalStateException("no five free ports in a row");
    }

    static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
