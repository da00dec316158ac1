package io.logsdistributor.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the image's entrypoint with a stand-in {@code java} that prints its arguments, to show the JVM
 * gets the flags of jvm.options, then the ahead-of-time cache if the image has one, then the operator's extra
 * flags, then the jar and the app's arguments; and reads the Dockerfile's stages.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class DockerEntrypointTest {

    static final Path ENTRYPOINT = Path.of("docker", "entrypoint.sh");
    /** Where the image looks for extra flags; the chart mounts its jvm.options ConfigMap key there. */
    static final String EXTRA_OPTIONS = "/etc/logs-distributor/jvm/jvm.options";
    /** The ahead-of-time cache the image's training stage writes beside the jar. */
    static final String AOT_CACHE = "logs-distributor.aot";
    /** The flags that go with the cache. */
    static final Path AOT_OPTIONS = Path.of("docker", "aot.options");

    @Test
    void startsTheJvmWithJvmOptionsThenExtraFlags(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectory(dir.resolve("app"));
        Files.copy(Path.of("jvm.options"), home.resolve("jvm.options"));
        Path extra = Files.writeString(dir.resolve("extra.options"), "# bigger heap\n  -Xmx1g  \n\n");
        Path bin = fakeJava(dir);

        List<String> args = run(bin, home, extra, "demo-analyzers", "my file.yaml");

        List<String> expected = new ArrayList<>(flags(Path.of("jvm.options")));
        expected.add("-Xmx1g");
        expected.addAll(List.of("-jar", home.resolve("logs-distributor.jar").toString(), "demo-analyzers", "my file.yaml"));
        assertThat(flags(Path.of("jvm.options"))).isNotEmpty();
        assertThat(args).containsExactlyElementsOf(expected);
    }

    @Test
    void runsWithoutTheOptionalExtraFile(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectory(dir.resolve("app"));
        Files.copy(Path.of("jvm.options"), home.resolve("jvm.options"));

        List<String> args = run(fakeJava(dir), home, dir.resolve("absent.options"));

        assertThat(args).startsWith(flags(Path.of("jvm.options")).toArray(String[]::new)).endsWith("-jar",
                home.resolve("logs-distributor.jar").toString());
    }

    @Test
    void passesTheAotCacheBetweenJvmOptionsAndExtraFlagsWhenTheImageHasOne(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectory(dir.resolve("app"));
        Files.copy(Path.of("jvm.options"), home.resolve("jvm.options"));
        Files.copy(AOT_OPTIONS, home.resolve("aot.options"));
        Path cache = Files.writeString(home.resolve(AOT_CACHE), "stand-in");
        Path extra = Files.writeString(dir.resolve("extra.options"), "-XX:AOTMode=off\n");

        List<String> args = run(fakeJava(dir), home, extra);

        List<String> expected = new ArrayList<>(flags(Path.of("jvm.options")));
        expected.add("-XX:AOTCache=" + cache);
        expected.addAll(flags(AOT_OPTIONS));
        expected.addAll(List.of("-XX:AOTMode=off", "-jar", home.resolve("logs-distributor.jar").toString()));
        assertThat(flags(AOT_OPTIONS)).contains("-XX:+AOTCompileEagerly");
        assertThat(args).containsExactlyElementsOf(expected);
    }

    @Test
    void leavesTheAotCacheFlagOutWithoutTheFile(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectory(dir.resolve("app"));
        Files.copy(Path.of("jvm.options"), home.resolve("jvm.options"));
        Files.copy(AOT_OPTIONS, home.resolve("aot.options"));

        List<String> args = run(fakeJava(dir), home, dir.resolve("absent.options"));

        // neither the cache nor the flags that go with it (a JVM older than 25 would refuse them)
        assertThat(args).noneMatch(a -> a.startsWith("-XX:AOTCache")).doesNotContainAnyElementsOf(flags(AOT_OPTIONS))
                .containsExactlyElementsOf(concat(flags(Path.of("jvm.options")), "-jar",
                        home.resolve("logs-distributor.jar").toString()));
    }

    @Test
    void dockerfileTrainsTheCacheInItsOwnStageAndTheRuntimeTakesItFromThere() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        Map<String, List<String>> stages = new LinkedHashMap<>();
        Map<String, String> bases = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines) {
            Matcher from = Pattern.compile("(?i)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?$").matcher(line);
            if (from.matches()) {
                String name = from.group(2) == null ? "stage-" + stages.size() : from.group(2);
                current = new ArrayList<>();
                stages.put(name, current);
                bases.put(name, from.group(1));
            } else if (current != null) {
                current.add(line);
            }
        }

        assertThat(stages.keySet()).containsExactly("build", "training", "runtime");
        assertThat(stages.get("build")).anyMatch(l -> l.matches("RUN mvn .*package.*"));
        // the training stage runs the jar the build made, with the image's own jvm.options, through the script
        // that can be run (and was measured) outside Docker
        assertThat(stages.get("training"))
                .contains("COPY --from=build /build/target/logs-distributor.jar /app/logs-distributor.jar")
                .contains("COPY jvm.options docker/aot.options /app/")
                .anyMatch(l -> l.startsWith("RUN ") && l.contains("train-aot.sh /app/" + AOT_CACHE));
        // the cache is used only by the JVM build that wrote it, with the very jar file it was trained on
        assertThat(bases.get("training")).isEqualTo(bases.get("runtime")).isEqualTo("${RUNTIME_IMAGE}");
        assertThat(lines).anyMatch(l -> l.matches("ARG RUNTIME_IMAGE=eclipse-temurin:(\\d+)-jre")
                && Integer.parseInt(l.replaceAll("\\D", "")) >= 25);
        assertThat(stages.get("runtime"))
                .contains("COPY --from=training /app/logs-distributor.jar /app/logs-distributor.jar")
                .contains("COPY --from=training /app/" + AOT_CACHE + " /app/" + AOT_CACHE)
                .contains("COPY jvm.options analyzers.yaml docker/aot.options /app/")
                .noneMatch(l -> l.startsWith("COPY --from=build"))
                .noneMatch(l -> l.contains("train-aot.sh"))
                .contains("ENTRYPOINT [\"/app/entrypoint.sh\"]");
        assertThat(Files.readString(ENTRYPOINT)).contains("$app_dir/" + AOT_CACHE);
        // the build context lets the training script in (everything else not listed stays out)
        assertThat(Files.readAllLines(Path.of(".dockerignore"))).contains("!docker/train-aot.sh", "!docker/aot.options");
    }

    @Test
    void dockerfileUsesTheEntrypointAndItsDefaultExtraFile() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        String entrypoint = Files.readString(ENTRYPOINT);

        assertThat(dockerfile).contains("COPY jvm.options").contains("ENTRYPOINT [\"/app/entrypoint.sh\"]")
                .containsPattern("(?m)^USER 10001");
        assertThat(entrypoint).contains(EXTRA_OPTIONS);
    }

    static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** The flags of an options file: one per line, without blank lines and # comments. */
    static List<String> flags(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    static Path fakeJava(Path dir) throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    static List<String> run(Path bin, Path home, Path extra, String... appArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", ENTRYPOINT.toString()));
        command.addAll(List.of(appArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("LOGS_DISTRIBUTOR_HOME", home.toString());
        builder.environment().put("LOGS_DISTRIBUTOR_EXTRA_JVM_OPTIONS", extra.toString());
        Process process = builder.start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(out).isZero();
        return out.lines().toList();
    }
}
